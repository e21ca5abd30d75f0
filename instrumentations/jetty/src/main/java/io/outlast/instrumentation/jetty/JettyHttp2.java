package io.outlast.instrumentation.jetty;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import io.outlast.family.ApiCache;

import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.load;

/** Jetty's HTTP/2 session as one class loader sees it: what the agent asks of a connection speaking HTTP/2. */
final class JettyHttp2 {
    private final Class<?> connectionType;
    private final Method session;
    private final Method isClosed;
    private final Method streams;
    private final Method close;
    private final Object noCallback;
    private final Method isFillInterested;
    /** The session's own clock (its last frame), private: null where it cannot be read. */
    private final Field streamsState;
    private final Field lastFrameNanos;

    private static final String CONNECTION = "org.eclipse.jetty.http2.HTTP2Connection";
    private static final ApiCache<JettyHttp2> CACHE = new ApiCache<>(JettyHttp2::new);

    /**
     * The API for an HTTP/2 object's loader (a session, a connection), or null. Resolved only from an object that
     * exists, so never loading (and weaving) Jetty's HTTP/2 classes where the server speaks only HTTP/1.1.
     */
    static JettyHttp2 of(Object http2Object) {
        return CACHE.get(http2Object.getClass());
    }

    /** The API if {@code connection} speaks HTTP/2, else null (by class name: nothing loaded to ask). */
    static JettyHttp2 ofConnection(Object connection) {
        if (connection == null) {
            return null;
        }
        for (Class<?> c = connection.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(CONNECTION)) {
                return CACHE.get(c);
            }
        }
        return null;
    }

    private JettyHttp2(ClassLoader cl) throws ReflectiveOperationException {
        connectionType = load(cl, CONNECTION);
        session = connectionType.getMethod("getSession");
        Class<?> api = load(cl, "org.eclipse.jetty.http2.api.Session");
        isClosed = api.getMethod("isClosed");
        streams = api.getMethod("getStreams");
        Class<?> callback = load(cl, "org.eclipse.jetty.util.Callback");
        close = api.getMethod("close", int.class, String.class, callback);
        noCallback = callback.getField("NOOP").get(null);
        isFillInterested = load(cl, "org.eclipse.jetty.io.AbstractConnection").getMethod("isFillInterested");
        Field state;
        Field last;
        try {
            state = field(load(cl, "org.eclipse.jetty.http2.HTTP2Session"), "streamsState");
            // idleTime (System.nanoTime) in 9.4, idleNanoTime (NanoTime.now) from 10
            last = field(state.getType(), hasField(state.getType(), "idleNanoTime") ? "idleNanoTime" : "idleTime");
        } catch (ReflectiveOperationException | RuntimeException e) {
            state = null; // a named module, or a line that moved it: the end point's clock then
            last = null;
        }
        streamsState = state;
        lastFrameNanos = last;
    }

    Object session(Object connection) throws ReflectiveOperationException {
        return session.invoke(connection);
    }

    /** The session has begun to close (a GOAWAY sent or received), or has closed. */
    boolean closed(Object session) throws ReflectiveOperationException {
        return (Boolean) isClosed.invoke(session);
    }

    /** Reading: not in the middle of a frame's processing. */
    boolean fillInterested(Object connection) throws ReflectiveOperationException {
        return (Boolean) isFillInterested.invoke(connection);
    }

    /**
     * A GOAWAY naming the peer's last stream, {@code NO_ERROR}: from here the session refuses new streams and
     * waits for the peer's close, or for its end point's next idle expiry, which then ends it.
     */
    void goAway(Object session) throws ReflectiveOperationException {
        close.invoke(session, 0, "idle_timeout", noCallback);
    }

    /** No stream open: the connection waits for the peer's next request. */
    boolean waiting(Object session) throws ReflectiveOperationException {
        return ((Collection<?>) streams.invoke(session)).isEmpty();
    }

    /**
     * How long since the session's last frame, or -1 where not known. Over TLS the end points' clocks move with the
     * peer's close_notify, read just before the close that reports it; the session's moves only with frames.
     */
    long idleFor(Object session) {
        if (streamsState == null) {
            return -1;
        }
        try {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFrameNanos.getLong(streamsState.get(session)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean hasField(Class<?> type, String name) {
        for (Field f : type.getDeclaredFields()) {
            if (f.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
