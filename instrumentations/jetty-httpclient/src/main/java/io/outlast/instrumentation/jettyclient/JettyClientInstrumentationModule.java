package io.outlast.instrumentation.jettyclient;

import io.outlast.bootstrap.JettyClientHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.LiveFamily;
import io.outlast.family.PooledClientConnections;
import io.outlast.family.TypeInstrumentation;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * Jetty's {@code HttpClient} over HTTP/1.1, 10 to 12 (Spring's JettyClientHttpRequestFactory, Jetty's proxy servlet,
 * Eclipse and Solr clients): a pooled connection is closed idle before its upstream would close it, and each close is
 * logged as a client's. Connections are keyed by Jetty's connection object.
 */
public final class JettyClientInstrumentationModule extends FamilyModule {
    public JettyClientInstrumentationModule() {
        super("jetty-httpclient", "10.", "11.", "12.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new HttpClientInstrumentation(),
                new HttpConnectionInstrumentation(HttpConnectionInstrumentation.JETTY_10),
                new HttpConnectionInstrumentation(HttpConnectionInstrumentation.JETTY_12),
                new ReceiverInstrumentation(ReceiverInstrumentation.JETTY_10),
                new ReceiverInstrumentation(ReceiverInstrumentation.JETTY_12));
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        PooledClientConnections connections = new PooledClientConnections(tracker, new JettyClientSpecifics());
        JettyClientHooks.set(connections);
        return connections;
    }

    @Override
    protected void uninstall() {
        JettyClientHooks.set(null);
    }

    /** What the advice leaves to reflection, each read rare: Jetty's version, a receiver's connection, an endpoint. */
    static final class JettyClientSpecifics implements PooledClientConnections.Specifics {
        /** Looked up once per receiver class: an upstream may announce its idle on every response. */
        private static final ClassValue<Method> GET_HTTP_CONNECTION = new ClassValue<Method>() {
            @Override
            protected Method computeValue(Class<?> type) {
                return method(type, "getHttpConnection");
            }
        };

        @Override
        public String version(Object client) {
            try {
                Object v = Class.forName("org.eclipse.jetty.util.Jetty", false, client.getClass().getClassLoader())
                        .getField("VERSION").get(null);
                return v instanceof String ? (String) v : null;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null;
            }
        }

        @Override
        public void leave() {
            JettyClientHooks.set(null);
        }

        /** The receiver advice gives the header's value itself. */
        @Override
        public String keepAliveOf(Object headers) {
            return headers instanceof String ? (String) headers : null;
        }

        /** A receiver's connection: its private {@code getHttpConnection()}, only for a response with the header. */
        @Override
        public Object connectionOf(Object receiver) {
            return invoke(GET_HTTP_CONNECTION.get(receiver.getClass()), receiver);
        }

        /** A connection open before an attach: its endpoint's channel. */
        @Override
        public Object socketOf(Object connection) {
            Object channel = call(call(connection, "getEndPoint"), "getTransport");
            return channel != null && channel.getClass().getName().contains("EndPoint") ? call(channel, "getTransport") : channel;
        }

        private static Object call(Object target, String name) {
            return target == null ? null : invoke(method(target.getClass(), name), target);
        }

        /** The no-argument method of that name, private or inherited, made callable; null if none or refused. */
        private static Method method(Class<?> type, String name) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                try {
                    Method m = c.getDeclaredMethod(name);
                    m.setAccessible(true);
                    return m;
                } catch (NoSuchMethodException e) {
                    // declared higher up
                } catch (RuntimeException | LinkageError e) {
                    return null;
                }
            }
            return null;
        }

        private static Object invoke(Method m, Object target) {
            try {
                return m == null ? null : m.invoke(target);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    }
}
