package io.outlast.instrumentation.liberty;

import io.outlast.bootstrap.LibertyHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

/** Open Liberty's HTTP channel, on its channel framework, in bundles of its OSGi framework. */
public final class LibertyInstrumentationModule extends FamilyModule {
    public LibertyInstrumentationModule() {
        super("liberty", "24.", "25.", "26.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new ReadInstrumentation(ReadInstrumentation.TCP),
                new ReadInstrumentation(ReadInstrumentation.SSL), new HttpLinkInstrumentation(),
                new ReadFailureInstrumentation("com.ibm.ws.http.channel.internal.inbound.HttpICLReadCallback"),
                new ReadFailureInstrumentation("com.ibm.ws.tcpchannel.internal.NewConnectionInitialReadCallback"),
                new ReadFailureInstrumentation("com.ibm.ws.channel.ssl.internal.SSLHandshakeIOCallback"),
                new ReadFailureInstrumentation("com.ibm.ws.channel.ssl.internal.SSLConnectionLink$MyReadCompletedCallback"),
                new Http2LinkInstrumentation(), new Http2ReadFailureInstrumentation(), new CloseInstrumentation());
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        LibertyConnections connections = new LibertyConnections(tracker);
        LibertyHooks.set(connections);
        tracker.sweepConnections(t -> t.headerMs > 0 || t.idleMs > 0 ? LibertyConnections.SWEEP_MS : -1,
                connections::sweep);
        return connections;
    }

    @Override
    protected void uninstall() {
        LibertyHooks.set(null);
    }
}
