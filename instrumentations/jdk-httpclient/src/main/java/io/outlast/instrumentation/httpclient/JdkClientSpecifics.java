package io.outlast.instrumentation.httpclient;

import io.outlast.family.PooledClientConnections;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * What the hooks read of the JDK's client by reflection: a connection's channel ({@code HttpConnection.channel()}, in
 * the package opened to the agent) and a response's {@code Keep-Alive} ({@code java.net.http.HttpHeaders}, public
 * API the agent's Java 8 bytecode cannot name). Once per connection and per response with headers, not per read.
 */
final class JdkClientSpecifics implements PooledClientConnections.Specifics {
    private volatile Method channel;
    private volatile Method firstValue;

    @Override
    public Object socketOf(Object connection) {
        try {
            Method m = channel;
            if (m == null) {
                Class<?> type = Class.forName("jdk.internal.net.http.HttpConnection", false, connection.getClass().getClassLoader());
                m = type.getDeclaredMethod("channel");
                m.setAccessible(true);
                channel = m;
            }
            return m.invoke(connection);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String keepAliveOf(Object headers) {
        try {
            Method m = firstValue;
            if (m == null) {
                m = headers.getClass().getMethod("firstValue", String.class);
                firstValue = m;
            }
            return (String) ((Optional<?>) m.invoke(headers, "Keep-Alive")).orElse(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
