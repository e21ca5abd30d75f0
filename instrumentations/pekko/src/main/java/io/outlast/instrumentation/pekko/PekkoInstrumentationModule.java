package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.HeaderDeadline;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Apache Pekko HTTP's server (1.x; HTTP/1.1, and HTTP/2 where enabled), on Pekko's TCP actors and streams. */
public final class PekkoInstrumentationModule extends FamilyModule {
    /** The idle stage's logic is {@code $$anon$N}, N as the Scala compiler numbered it in each Pekko release. */
    private static final int IDLE_LOGIC_NAMES = 9;

    public PekkoInstrumentationModule() {
        super("pekko", "1.0.", "1.1.", "1.2.", "1.3.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        List<TypeInstrumentation> all = new ArrayList<>(Arrays.asList(new MaterializerInstrumentation(),
                new TcpConnectionInstrumentation(), new TcpStageInstrumentation(), new RequestParserInstrumentation(),
                new TlsPhaseInstrumentation(), new TlsActorInstrumentation(), new Http2BindingInstrumentation(),
                new Http2DemuxInstrumentation(), StopInstrumentation.actorSystem(),
                StopInstrumentation.binding()));
        for (int n = 1; n <= IDLE_LOGIC_NAMES; n++) {
            all.add(new IdleTimeoutInstrumentation(n));
        }
        return all;
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        PekkoConnections connections = new PekkoConnections(tracker);
        PekkoHooks.set(connections);
        new HeaderDeadline<>(tracker, connections).start();
        return connections;
    }

    @Override
    protected void uninstall() {
        PekkoHooks.set(null);
    }
}
