package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.core.AgentContext;
import io.outlast.core.ConnectionTracker;
import io.outlast.core.InstrumentationModule;
import io.outlast.core.RunningThreads;
import io.outlast.core.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

public final class UndertowInstrumentationModule implements InstrumentationModule {
    @Override
    public String family() {
        return "undertow";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new UndertowInstrumentation(), new ParseTimeoutUpdaterInstrumentation(),
                new HttpReadListenerInstrumentation(), new ConnectionUtilsInstrumentation(),
                new CloseSetterInstrumentation());
    }

    private volatile ConnectionTracker tracker;

    @Override
    public void start(AgentContext context) {
        // Undertow enforces both timeouts itself, on time: the agent only changes what it arms
        tracker = new ConnectionTracker(family(), context, "2.2.", "2.3.");
        UndertowHooks.set(new UndertowConnections(tracker));
    }

    @Override
    public void meetRunning(RunningThreads threads) throws Exception {
        ConnectionTracker t = tracker;
        if (t != null) {
            UndertowRunning.rearm(threads, t);
        }
    }

    @Override
    public void stop() {
        UndertowHooks.set(null);
    }
}
