package io.outlast.instrumentation.jetty;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.load;

/** Jetty's HTTP/2 session as one class loader sees it: what the agent asks of a connection speaking HTTP/2. */
final class JettyHttp2 {
    final Class<?> connectionType;
    private final Method session;
    private final Method isClosed;
    private final Method streams;
    /** The session's own clock (its last frame), private: null where it cannot be read. */
    private final Field streamsState;
    private final Field lastFrameNanos;

    /** Null where the loader has no HTTP/2 server: HTTP/1.1 is governed all the same. */
    static JettyHttp2 of(ClassLoader cl) {
        try {
            return new JettyHttp2(cl);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private JettyHttp2(ClassLoader cl) throws ReflectiveOperationException {
        connectionType = load(cl, "org.eclipse.jetty.http2.HTTP2Connection");
        session = connectionType.getMethod("getSession");
        Class<?> api = load(cl, "org.eclipse.jetty.http2.api.Session");
        isClosed = api.getMethod("isClosed");
        streams = api.getMethod("getStreams");
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
        return connectionType.isInstance(connection) ? session.invoke(connection) : null;
    }

    /** The session has begun to close (a GOAWAY sent or received), or has closed. */
    boolean closed(Object session) throws ReflectiveOperationException {
        return (Boolean) isClosed.invoke(session);
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
