package io.outlast.instrumentation.vertxclient;

import io.outlast.bootstrap.VertxClientHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.LiveFamily;
import io.outlast.family.PooledClientConnections;
import io.outlast.family.TypeInstrumentation;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Vert.x's {@code HttpClient} over HTTP/1.1, 4.5 and 5.0 (its {@code WebClient}, Quarkus's REST client, the Vert.x
 * gateways): a pooled connection expires before its upstream would close it, and each close is logged as a client's.
 * Connections are keyed by Vert.x's connection object.
 */
public final class VertxClientInstrumentationModule extends FamilyModule {
    public VertxClientInstrumentationModule() {
        super("vertx-httpclient", "4.5.", "5.0.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new HttpClientInstrumentation(), new ClientConnectionInstrumentation());
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        PooledClientConnections connections = new PooledClientConnections(tracker, new PooledClientConnections.Specifics() {
            @Override
            public String version(Object client) {
                return VertxClientInstrumentationModule.version(client);
            }

            @Override
            public void leave() {
                VertxClientHooks.set(null);
            }
        });
        VertxClientHooks.set(connections);
        return connections;
    }

    /** Vert.x's version, from its core jar's {@code META-INF/vertx/vertx-version.txt}, or null. */
    static String version(Object client) {
        ClassLoader loader = client.getClass().getClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream("META-INF/vertx/vertx-version.txt")) {
            return in == null ? null : new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    protected void uninstall() {
        VertxClientHooks.set(null);
    }
}
