package io.outlast.instrumentation.httpserver;

import io.outlast.family.Addresses;
import io.outlast.family.ApiCache;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import static io.outlast.family.Reflection.load;
import static io.outlast.family.Reflection.accessible;
import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.method;

/**
 * The JDK server's internals ({@code sun.net.httpserver}, opened to the agent's loader alone), resolved once.
 * Only fields the server itself reads without locks are read here, and only its own close path is called.
 */
final class HttpServerApi {
    private static final ApiCache<HttpServerApi> CACHE = new ApiCache<>(HttpServerApi::new);

    private final Method address;
    private final Field terminating;
    private final Field idleInterval;
    private final Method closeConnection;
    private final Constructor<?> idleTask;
    private final Field channel;
    private final Field idleStartTime;

    static HttpServerApi of(Class<?> serverClass) {
        return CACHE.get(serverClass);
    }

    private HttpServerApi(ClassLoader cl) throws ReflectiveOperationException {
        Class<?> server = load(cl, "sun.net.httpserver.ServerImpl");
        Class<?> connection = load(cl, "sun.net.httpserver.HttpConnection");
        address = accessible(server.getMethod("getAddress"));
        terminating = field(server, "terminating");
        idleInterval = field(server, "IDLE_INTERVAL");
        closeConnection = method(server, "closeConnection", connection);
        idleTask = accessible(load(cl, "sun.net.httpserver.ServerImpl$IdleTimeoutTask")
                .getDeclaredConstructor(server));
        channel = field(connection, "chan");
        idleStartTime = field(connection, "idleStartTime");
    }

    String address(Object server) throws ReflectiveOperationException {
        return Addresses.format((SocketAddress) address.invoke(server));
    }

    boolean terminating(Object server) throws IllegalAccessException {
        return terminating.getBoolean(server);
    }

    /** The server's own idle interval, fixed when its class was initialised. */
    long idleIntervalMs() throws IllegalAccessException {
        return idleInterval.getLong(null);
    }

    /** The server's own close: out of all of its connection sets, then the socket. */
    void close(Object server, Object connection) throws ReflectiveOperationException {
        closeConnection.invoke(server, connection);
    }

    /** A fresh instance of the server's own idle check, for the agent's timer to run more often than the server's. */
    Runnable idleTask(Object server) throws ReflectiveOperationException {
        return (Runnable) idleTask.newInstance(server);
    }

    long idleStartMillis(Object connection) throws IllegalAccessException {
        return idleStartTime.getLong(connection);
    }

    String local(Object connection) {
        try {
            return Addresses.format(((SocketChannel) channel.get(connection)).getLocalAddress());
        } catch (Exception e) {
            return "-";
        }
    }

    String remote(Object connection) {
        try {
            return Addresses.format(((SocketChannel) channel.get(connection)).getRemoteAddress());
        } catch (Exception e) {
            return "-";
        }
    }
}
