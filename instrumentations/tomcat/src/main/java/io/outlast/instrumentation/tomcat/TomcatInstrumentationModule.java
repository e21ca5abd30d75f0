package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.HeaderDeadline;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

public final class TomcatInstrumentationModule extends FamilyModule {
    public TomcatInstrumentationModule() {
        super("tomcat", "9.0.", "10.1.", "11.0.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new AbstractEndpointInstrumentation(),
                new NioSocketWrapperInstrumentation(), new SocketWrapperBaseInstrumentation(),
                new Http11InputBufferInstrumentation(), new Http2ProtocolInstrumentation(),
                new Http2UpgradeHandlerInstrumentation(), new Http11ProcessorInstrumentation());
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        TomcatConnections connections = new TomcatConnections(tracker);
        TomcatHooks.set(connections);
        // connectionTimeout bounds the gap between reads only: a byte-at-a-time header is never cut
        new HeaderDeadline<>(tracker, connections).start();
        return connections;
    }

    @Override
    protected void uninstall() {
        TomcatHooks.set(null);
    }
}
