package io.outlast.instrumentation.httpserver;

import io.outlast.bootstrap.HttpServerHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.HeaderDeadline;
import io.outlast.family.JavaModules;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

public final class HttpServerInstrumentationModule extends FamilyModule {
    public HttpServerInstrumentationModule() {
        super("jdk");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new ServerImplInstrumentation(), new IdleTimeoutTaskInstrumentation(),
                new ExchangeInstrumentation(), new RequestInstrumentation(), new ExchangeImplInstrumentation(),
                new HttpConnectionInstrumentation(), new SslStreamsInstrumentation());
    }

    /** Null where the server's module cannot be reached: the family then does nothing. */
    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        try {
            // the server is in package sun.net.httpserver, not exported
            JavaModules.openServerModule(tracker.context().instrumentation(), "jdk.httpserver", "sun.net.httpserver");
        } catch (Exception e) {
            tracker.warnOnce("jdk http server: cannot reach module jdk.httpserver (" + e + "); left untouched");
            return null;
        }
        HttpServerConnections connections = new HttpServerConnections(tracker);
        HttpServerHooks.set(connections);
        new HeaderDeadline<>(tracker, connections).start();
        return connections;
    }

    @Override
    protected void uninstall() {
        HttpServerHooks.set(null);
    }
}
