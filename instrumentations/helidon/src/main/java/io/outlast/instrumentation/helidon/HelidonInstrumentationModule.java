package io.outlast.instrumentation.helidon;

import io.outlast.bootstrap.HelidonHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.HeaderDeadline;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

public final class HelidonInstrumentationModule extends FamilyModule {
    public HelidonInstrumentationModule() {
        super("helidon", "4.4.", "4.5.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new LoomServerInstrumentation(), new ConnectionHandlerInstrumentation(),
                new NioSocketInstrumentation(), new PlainSocketInstrumentation(), new TlsNioSocketInstrumentation(),
                new Http1Instrumentation.Prologue(), new Http1Instrumentation.Headers(),
                new Http2Instrumentation.Selector(), new Http2Instrumentation.Upgrader(),
                new IdleTimeoutHandlerInstrumentation());
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        HelidonConnections connections = new HelidonConnections(tracker);
        HelidonHooks.set(connections);
        new HeaderDeadline<>(tracker, connections).start();
        return connections;
    }

    @Override
    protected void uninstall() {
        HelidonHooks.set(null);
    }
}
