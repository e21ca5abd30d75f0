package io.outlast.instrumentation.helidon;

import io.outlast.family.Addresses;
import io.outlast.family.ApiCache;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.load;

/**
 * Helidon 4's WebServer internals ({@code io.helidon.webserver}), resolved once from a listener's loader. Only fields
 * Helidon reads without locks are read here, and the only close of a connection's own that is called is the one
 * Helidon's idle check calls.
 */
final class HelidonApi {
    private static final ApiCache<HelidonApi> CACHE = new ApiCache<>(HelidonApi::new);

    final String version;
    private final Field listenerConfig;
    private final Method idleConnectionTimeout;
    private final Field running;
    private final Field serverSocket;
    private final Field activeConnections;
    private final Field tls;
    private final Method tlsEnabled;
    private final Field handlerListener;
    private final Field handlerSocket;
    private final Field handlerConnection;
    private final Field handlerReader;
    private final Method idleTime;
    private final Field upgraded;
    private final Method canInterrupt;
    private final Class<?> http1Connection;
    private final Field http1Context;
    private final Field readingPrologue;
    private final Field lastRequest;
    private final Field reader;
    private final Method available;
    private final Field thread;
    private final Method close;

    static HelidonApi of(Class<?> type) {
        return CACHE.get(type);
    }

    /** What the class's loader lacks of the API, for the warning that leaves the server alone; null if nothing. */
    static String missing(Class<?> type) {
        return CACHE.missing(type);
    }

    private HelidonApi(ClassLoader cl) throws ReflectiveOperationException {
        version = (String) load(cl, "io.helidon.common.Version").getField("VERSION").get(null);
        Class<?> listener = load(cl, "io.helidon.webserver.ServerListener");
        Class<?> config = load(cl, "io.helidon.webserver.ListenerConfig");
        listenerConfig = field(listener, "listenerConfig");
        idleConnectionTimeout = config.getMethod("idleConnectionTimeout");
        running = field(listener, "running");
        serverSocket = field(listener, "serverSocket");
        activeConnections = field(listener, "activeConnections");
        tls = field(listener, "tls");
        tlsEnabled = load(cl, "io.helidon.common.tls.Tls").getMethod("enabled");
        Class<?> handler = load(cl, "io.helidon.webserver.ConnectionHandler");
        handlerListener = field(handler, "listenerContext");
        handlerSocket = field(handler, "socket");
        handlerConnection = field(handler, "connection");
        handlerReader = field(handler, "reader");
        Class<?> serverConnection = load(cl, "io.helidon.webserver.spi.ServerConnection");
        idleTime = serverConnection.getMethod("idleTime");
        close = serverConnection.getMethod("close", boolean.class);
        http1Connection = load(cl, "io.helidon.webserver.http1.Http1Connection");
        http1Context = field(http1Connection, "ctx");
        readingPrologue = field(http1Connection, "currentlyReadingPrologue");
        lastRequest = field(http1Connection, "lastRequestTimestamp");
        reader = field(http1Connection, "reader");
        available = load(cl, "io.helidon.common.buffers.DataReader").getMethod("available");
        thread = field(http1Connection, "myThread");
        upgraded = field(http1Connection, "upgradeConnection");
        canInterrupt = load(cl, "io.helidon.common.task.InterruptableTask").getMethod("canInterrupt");
    }

    String address(Object listener) throws ReflectiveOperationException {
        Object socket = serverSocket.get(listener);
        try {
            return socket == null ? "-" : Addresses.format(((ServerSocketChannel) socket).getLocalAddress());
        } catch (java.io.IOException e) {
            return "-";
        }
    }

    /** The listener's own idle (5 min by default), checked by its timer every {@code idle-connection-period}. */
    long ownIdleMs(Object listener) throws ReflectiveOperationException {
        return ((Duration) idleConnectionTimeout.invoke(listenerConfig.get(listener))).toMillis();
    }

    boolean tls(Object listener) throws ReflectiveOperationException {
        Object t = tls.get(listener);
        return t != null && (Boolean) tlsEnabled.invoke(t);
    }

    /** Stopping (or not yet started): its connections are being closed by its stop. */
    boolean stopping(Object listener) throws IllegalAccessException {
        return !running.getBoolean(listener);
    }

    Object listener(Object handler) throws IllegalAccessException {
        return handlerListener.get(handler);
    }

    SocketChannel channel(Object handler) throws IllegalAccessException {
        return (SocketChannel) handlerSocket.get(handler);
    }

    /** The handlers of the listener's open connections past their protocol's choice, HTTP/1.1 ones with theirs. */
    List<Object[]> openConnections(Object listener) throws IllegalAccessException {
        List<Object[]> out = new ArrayList<>();
        for (Object connection : ((Map<?, ?>) activeConnections.get(listener)).values()) {
            Object handler = handlerOf(connection);
            if (handler != null) {
                out.add(new Object[] {handler, connection});
            }
        }
        return out;
    }

    boolean isHttp1(Object connection) {
        return http1Connection.isInstance(connection);
    }

    /** The handler's connection (of its protocol), or null before its protocol is chosen. */
    Object connection(Object handler) throws IllegalAccessException {
        return handlerConnection.get(handler);
    }

    /** The handler's HTTP/2 connection (chosen at once, or by an Upgrade), or null. */
    Object http2(Object handler) throws IllegalAccessException {
        Object connection = handlerConnection.get(handler);
        if (http1Connection.isInstance(connection)) {
            connection = upgraded.get(connection);
        }
        return connection == null || http1Connection.isInstance(connection)
                || !connection.getClass().getName().equals("io.helidon.webserver.http2.Http2Connection") ? null : connection;
    }

    /** An HTTP/2 connection with no stream open: Helidon's own test before it interrupts one it closes. */
    boolean noStreamOpen(Object connection) throws ReflectiveOperationException {
        return (Boolean) canInterrupt.invoke(connection);
    }

    /** The handler's HTTP/1.1 connection, or null before its protocol is chosen or where it is another. */
    Object http1(Object handler) throws IllegalAccessException {
        Object connection = handlerConnection.get(handler);
        return http1Connection.isInstance(connection) ? connection : null;
    }

    boolean readingPrologue(Object http1) throws IllegalAccessException {
        return readingPrologue.getBoolean(http1);
    }

    /**
     * Whether a request's first line or headers have begun to arrive and are not complete: part of the first line
     * waits in its reader, or its thread is reading headers. Only at an attach (a thread's stack is read).
     */
    boolean inHeader(Object http1) throws ReflectiveOperationException {
        if (readingPrologue(http1)) {
            try {
                return buffered(reader.get(http1));
            } catch (RuntimeException e) {
                return false; // the reader is its thread's: read racing it, taken as waiting
            }
        }
        Thread t = (Thread) thread.get(http1);
        if (t == null) {
            return false;
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().equals("io.helidon.webserver.http1.Http1Headers")
                    && frame.getMethodName().equals("readHeaders")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a connection's reader holds bytes it has not parsed yet. */
    boolean buffered(Object dataReader) throws ReflectiveOperationException {
        return dataReader != null && (Integer) available.invoke(dataReader) > 0;
    }

    /** When Helidon last saw a request begin or end on it (to the second: Helidon's clock ticks once a second). */
    long lastRequestMillis(Object http1) throws IllegalAccessException {
        Object t = lastRequest.get(http1);
        return t == null ? 0 : ((ZonedDateTime) t).toInstant().toEpochMilli();
    }

    /**
     * Helidon's own close of a connection, as its idle check asks it: no new request; HTTP/1.1 interrupted only where
     * waiting for one.
     */
    void closeIdle(Object connection) throws ReflectiveOperationException {
        close.invoke(connection, false);
    }

    /** How long Helidon counts the connection idle (to the second; an upgraded one's as its new protocol counts it). */
    long idleMs(Object connection) throws ReflectiveOperationException {
        return ((Duration) idleTime.invoke(connection)).toMillis();
    }

    /** The handler a connection of any protocol serves, or null where it keeps none as known. */
    Object handlerOf(Object connection) throws IllegalAccessException {
        if (http1Connection.isInstance(connection)) {
            return http1Context.get(connection);
        }
        return io.outlast.family.Reflection.readOrNull(connection, "ctx");
    }

    /** An HTTP/1.1 connection upgraded to another protocol (a WebSocket, h2c): that protocol's idle is its own. */
    boolean upgraded(Object http1) throws IllegalAccessException {
        return upgraded.get(http1) != null;
    }

    Object reader(Object handler) throws IllegalAccessException {
        return handlerReader.get(handler);
    }

    Object local(SocketChannel channel) {
        try {
            SocketAddress a = channel.getLocalAddress();
            return a == null ? "-" : a;
        } catch (Exception e) {
            return "-";
        }
    }

    Object remote(SocketChannel channel) {
        try {
            SocketAddress a = channel.getRemoteAddress();
            return a == null ? "-" : a;
        } catch (Exception e) {
            return "-";
        }
    }
}
