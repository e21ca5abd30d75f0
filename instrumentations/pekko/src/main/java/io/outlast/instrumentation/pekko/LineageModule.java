package io.outlast.instrumentation.pekko;

import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.HeaderDeadline;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The family of one lineage's HTTP server (Pekko's or Akka's), on its TCP actors and streams. */
abstract class LineageModule extends FamilyModule {
    /** The idle stage's logic is {@code $$anon$N}, N as the Scala compiler numbered it in each release. */
    private static final int IDLE_LOGIC_NAMES = 9;
    private final Lineage lineage;

    LineageModule(Lineage lineage, String... versionLines) {
        super(lineage.family, versionLines);
        this.lineage = lineage;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        List<TypeInstrumentation> all = new ArrayList<>(Arrays.asList(new MaterializerInstrumentation(lineage),
                new TcpConnectionInstrumentation(lineage), new TcpStageInstrumentation(lineage),
                new RequestParserInstrumentation(lineage), new TlsPhaseInstrumentation(lineage),
                new TlsActorInstrumentation(lineage), new Http2BindingInstrumentation(lineage),
                new Http2DemuxInstrumentation(lineage), StopInstrumentation.actorSystem(lineage),
                StopInstrumentation.binding(lineage)));
        for (int n = 1; n <= IDLE_LOGIC_NAMES; n++) {
            all.add(new IdleTimeoutInstrumentation(lineage, n));
        }
        return all;
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        PekkoConnections connections = new PekkoConnections(tracker, lineage);
        PekkoRouter.set(lineage, connections);
        new HeaderDeadline<>(tracker, connections).start();
        return connections;
    }

    @Override
    protected void uninstall() {
        PekkoRouter.set(lineage, null);
    }
}
