package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import io.outlast.core.AgentContext;
import io.outlast.core.ConnectionTracker;
import io.outlast.core.HeaderDeadline;
import io.outlast.core.InstrumentationModule;
import io.outlast.core.RunningThreads;
import io.outlast.core.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

public final class TomcatInstrumentationModule implements InstrumentationModule {
    @Override
    public String family() {
        return "tomcat";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new AbstractEndpointInstrumentation(),
                new NioSocketWrapperInstrumentation(), new SocketWrapperBaseInstrumentation(),
                new Http11InputBufferInstrumentation());
    }

    private volatile TomcatConnections connections;

    @Override
    public void start(AgentContext context) {
        connections = new TomcatConnections(new ConnectionTracker(family(), context,
                "9.0.", "10.1.", "11.0."));
        TomcatHooks.set(connections);
        // connectionTimeout bounds the gap between reads only: a byte-at-a-time header is never cut
        new HeaderDeadline(connections.tracker(), connections).start();
    }

    @Override
    public void reconfigured() {
        TomcatConnections c = connections;
        if (c != null) {
            c.reconfigured();
        }
    }

    @Override
    public void meetRunning(RunningThreads threads) throws Exception {
        TomcatConnections c = connections;
        if (c != null) {
            c.meetRunning(threads);
        }
    }

    @Override
    public void stop() {
        TomcatHooks.set(null);
    }
}
