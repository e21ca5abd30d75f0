package io.outlast.instrumentation.httpserver;

import io.outlast.family.Addresses;
import io.outlast.family.ApiCache;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
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
    /** The listening channel: closed by a drain, as the server's stop closes it, so that new connections are refused. */
    private final Field listening;
    private final Field idleInterval;
    private final Method closeConnection;
    private final Constructor<?> idleTask;
    private final Field channel;
    private final Field idleStartTime;
    /** HttpConnection.sslStreams, SSLStreams.wrapper, EngineWrapper.unwrap_src; null where not as known. */
    private final Field sslStreams;
    private final Field wrapper;
    private final Field unwrapSource;

    static HttpServerApi of(Class<?> serverClass) {
        return CACHE.get(serverClass);
    }

    /** What the class's loader lacks of the API, for the warning that leaves the server alone; null if nothing. */
    static String missing(Class<?> serverClass) {
        return CACHE.missing(serverClass);
    }

    private HttpServerApi(ClassLoader cl) throws ReflectiveOperationException {
        Class<?> server = load(cl, "sun.net.httpserver.ServerImpl");
        Class<?> connection = load(cl, "sun.net.httpserver.HttpConnection");
        address = accessible(server.getMethod("getAddress"));
        terminating = field(server, "terminating");
        listening = field(server, "schan");
        idleInterval = field(server, "IDLE_INTERVAL");
        closeConnection = method(server, "closeConnection", connection);
        idleTask = accessible(load(cl, "sun.net.httpserver.ServerImpl$IdleTimeoutTask")
                .getDeclaredConstructor(server));
        channel = field(connection, "chan");
        idleStartTime = field(connection, "idleStartTime");
        Field[] tls = tlsFields(cl, connection);
        sslStreams = tls[0];
        wrapper = tls[1];
        unwrapSource = tls[2];
    }

    private static Field[] tlsFields(ClassLoader cl, Class<?> connection) {
        try {
            return new Field[] {field(connection, "sslStreams"),
                    field(load(cl, "sun.net.httpserver.SSLStreams"), "wrapper"),
                    field(load(cl, "sun.net.httpserver.SSLStreams$EngineWrapper"), "unwrap_src")};
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Field[3]; // plain HTTP is governed all the same; a waiting TLS connection's partial record is not seen
        }
    }

    /**
     * Whether an HTTPS connection holds part of a record it has not decrypted: a read blocked for the rest of a
     * record leaves its buffer open to the end past the bytes held (after a record is decrypted, the limit is
     * where the bytes end). Plain reads of what the reading thread writes: a sweep late or early, never wrong long.
     */
    boolean recordArriving(Object connection) throws IllegalAccessException {
        if (unwrapSource == null) {
            return false;
        }
        Object streams = sslStreams.get(connection);
        Object engineWrapper = streams == null ? null : wrapper.get(streams);
        ByteBuffer buffer = engineWrapper == null ? null : (ByteBuffer) unwrapSource.get(engineWrapper);
        return buffer != null && buffer.position() > 0 && buffer.limit() == buffer.capacity();
    }

    String address(Object server) throws ReflectiveOperationException {
        return Addresses.format((SocketAddress) address.invoke(server));
    }

    /** The listening port, or -1 (closed). */
    int port(Object server) throws ReflectiveOperationException {
        Object a = address.invoke(server);
        return a instanceof InetSocketAddress ? ((InetSocketAddress) a).getPort() : -1;
    }

    /** Stops accepting: the dispatcher goes on serving the connections open. */
    void closeListening(Object server) throws IllegalAccessException, IOException {
        ((ServerSocketChannel) listening.get(server)).close();
    }

    boolean listening(Object server) throws IllegalAccessException {
        return ((ServerSocketChannel) listening.get(server)).isOpen();
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

    /** The connection's address object (packed or formatted by the agent, never a string per connection here). */
    Object local(Object connection) {
        try {
            return ((SocketChannel) channel.get(connection)).getLocalAddress();
        } catch (Exception e) {
            return "-";
        }
    }

    Object remote(Object connection) {
        try {
            return ((SocketChannel) channel.get(connection)).getRemoteAddress();
        } catch (Exception e) {
            return "-";
        }
    }
}
