package io.outlast.instrumentation.httpclient;

import io.outlast.bootstrap.JdkClientHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.JavaModules;
import io.outlast.family.LiveFamily;
import io.outlast.family.PooledClientConnections;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

/**
 * The JDK's {@code java.net.http.HttpClient} (Java 11+; Spring's {@code JdkClientHttpRequestFactory}, many SDKs): its
 * pooled HTTP/1.1 connections are retired before their upstream would close them, and each close is logged as a
 * client's. Its pool is in {@code jdk.internal.net.http}, not exported: opened to the agent's loader alone.
 */
public final class JdkClientInstrumentationModule extends FamilyModule {
    public JdkClientInstrumentationModule() {
        super("jdk-httpclient");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new ConnectionPoolInstrumentation(), new HttpConnectionInstrumentation(),
                HttpConnectionInstrumentation.closeOf("jdk.internal.net.http.PlainHttpConnection"),
                HttpConnectionInstrumentation.closeOf("jdk.internal.net.http.AsyncSSLConnection"),
                new ResponseInstrumentation());
    }

    /** Null where the module cannot be reached (Java 8 has no such client): the family then does nothing. */
    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        try {
            JavaModules.openServerModule(tracker.context().instrumentation(), "java.net.http", "jdk.internal.net.http");
        } catch (Exception e) {
            tracker.warnOnce("jdk-httpclient: cannot reach module java.net.http (" + e + "); left untouched");
            return null;
        }
        PooledClientConnections connections = new PooledClientConnections(tracker, new JdkClientSpecifics());
        JdkClientHooks.set(connections);
        return connections;
    }

    @Override
    protected void uninstall() {
        JdkClientHooks.set(null);
    }
}
