package io.outlast.instrumentation.grizzly;

import io.outlast.bootstrap.GrizzlyHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.HeaderDeadline;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

/** Grizzly's HTTP server: GlassFish's HTTP layer, and Jersey's {@code jersey-container-grizzly2-http}. */
public final class GrizzlyInstrumentationModule extends FamilyModule {
    public GrizzlyInstrumentationModule() {
        super("grizzly", "2.4.", "3.0.", "4.0.", "4.1.", "5.0.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new HttpServerInstrumentation(), new IdleTimeoutFilterInstrumentation(),
                new IdleCheckInstrumentation(), new IdleCloseInstrumentation(), new HttpCodecInstrumentation(),
                new SslFilterInstrumentation(), new ConnectionCloseInstrumentation());
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        GrizzlyConnections connections = new GrizzlyConnections(tracker);
        GrizzlyHooks.set(connections);
        new HeaderDeadline<>(tracker, connections).start();
        return connections;
    }

    @Override
    protected void uninstall() {
        GrizzlyHooks.set(null);
    }
}
