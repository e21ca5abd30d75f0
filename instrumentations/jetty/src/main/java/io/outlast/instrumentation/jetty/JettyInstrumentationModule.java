package io.outlast.instrumentation.jetty;

import io.outlast.bootstrap.JettyHooks;
import io.outlast.core.AgentContext;
import io.outlast.core.InstrumentationModule;
import io.outlast.core.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

public final class JettyInstrumentationModule implements InstrumentationModule {
    @Override
    public String family() {
        return "jetty";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new AbstractConnectorInstrumentation(), new AbstractEndPointInstrumentation(),
                new IdleTimeoutInstrumentation());
    }

    @Override
    public void start(AgentContext context) {
        JettyConnections connections = new JettyConnections(context);
        JettyHooks.set(connections);
        long headerMs = context.config().headerMs;
        if (headerMs > 0) {
            // Jetty has no header deadline: every byte resets its idle timer
            context.every(HeaderDeadline.sweepPeriodMs(headerMs), connections::sweepHeaders);
        }
    }
}
