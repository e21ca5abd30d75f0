package io.outlast.instrumentation.jetty;

import io.outlast.bootstrap.JettyHooks;
import io.outlast.core.AgentContext;
import io.outlast.core.ConnectionTracker;
import io.outlast.core.HeaderDeadline;
import io.outlast.core.InstrumentationModule;
import io.outlast.core.RunningThreads;
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

    private volatile JettyConnections connections;

    @Override
    public void start(AgentContext context) {
        connections = new JettyConnections(new ConnectionTracker(family(), context,
                "9.4.", "10.0.", "11.0.", "12.0.", "12.1."));
        JettyHooks.set(connections);
        // Jetty has no header deadline: every byte resets its idle timer
        new HeaderDeadline(connections.tracker(), connections).start();
    }

    @Override
    public void meetRunning(RunningThreads threads) throws Exception {
        JettyConnections c = connections;
        if (c != null) {
            c.meetRunning(threads);
        }
    }

    @Override
    public void reconfigured() {
        JettyConnections c = connections;
        if (c != null) {
            c.reconfigured();
        }
    }

    @Override
    public void stop() {
        JettyHooks.set(null);
    }
}
