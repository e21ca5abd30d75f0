package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

public final class UndertowInstrumentationModule extends FamilyModule {
    public UndertowInstrumentationModule() {
        super("undertow", "2.2.", "2.3.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new UndertowInstrumentation(), new ParseTimeoutUpdaterInstrumentation(),
                new HttpReadListenerInstrumentation(), new ConnectionUtilsInstrumentation(),
                new CloseSetterInstrumentation(), new Http2ChannelInstrumentation(), new Http2GoAwayWrittenInstrumentation(),
                new FramedChannelCloseInstrumentation(), new AlpnOpenListenerInstrumentation(),
                new HttpTransferEncodingInstrumentation(), new GracefulShutdownHandlerInstrumentation());
    }

    /** Undertow enforces both timeouts itself, on time: the agent only changes what it arms. */
    private volatile UndertowConnections connections;

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        UndertowConnections installed = new UndertowConnections(tracker);
        connections = installed;
        UndertowHooks.set(installed);
        return installed;
    }

    @Override
    protected void uninstall() {
        UndertowHooks.set(null);
        UndertowConnections left = connections;
        if (left != null) {
            left.leave();
        }
    }
}
