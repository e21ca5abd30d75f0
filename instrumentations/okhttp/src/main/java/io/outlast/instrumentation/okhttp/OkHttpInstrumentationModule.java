package io.outlast.instrumentation.okhttp;

import io.outlast.bootstrap.OkHttpHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.LiveFamily;
import io.outlast.family.PooledClientConnections;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

/**
 * OkHttp 4's and 5's connection pool (Retrofit, Feign's OkHttp client, many SDKs): its pooled connections are retired before
 * their upstream would close them, and each close is logged as a client's. Connections are keyed by their socket
 * ({@code RealConnection.socket()}): the one OkHttp closes them by.
 */
public final class OkHttpInstrumentationModule extends FamilyModule {
    public OkHttpInstrumentationModule() {
        super("okhttp", "4.", "5.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new ConnectionPoolInstrumentation(), new RealConnectionInstrumentation(),
                new ExchangeInstrumentation(), new SocketCloseInstrumentation(SocketCloseInstrumentation.OKHTTP_4),
                new SocketCloseInstrumentation(SocketCloseInstrumentation.OKHTTP_5));
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        PooledClientConnections connections = new PooledClientConnections(tracker, new PooledClientConnections.Specifics() {
            @Override
            public String version(Object pool) {
                return OkHttpInstrumentationModule.version(pool);
            }

            @Override
            public void leave() {
                OkHttpHooks.set(null);
            }
        });
        OkHttpHooks.set(connections);
        return connections;
    }

    /** OkHttp's version ({@code okhttp3.OkHttp.VERSION}) in the pool's loader, or null. */
    static String version(Object pool) {
        try {
            Object v = Class.forName("okhttp3.OkHttp", false, pool.getClass().getClassLoader()).getField("VERSION").get(null);
            return v instanceof String ? (String) v : null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    @Override
    protected void uninstall() {
        OkHttpHooks.set(null);
    }
}
