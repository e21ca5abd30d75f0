package io.outlast.instrumentation.tomcat;

import io.outlast.family.ApiCache;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.load;
import static io.outlast.family.Reflection.method;

/**
 * Tomcat's HTTP/2 connection ({@code Http2UpgradeHandler}, 9.0-11.0) as one class loader sees it, resolved once, and
 * only where a connection speaks HTTP/2. What a graceful idle close needs: its GOAWAY, its state that refuses new
 * streams (Tomcat's own drain uses it), and what to answer a dispatch with to keep the connection open.
 */
final class TomcatHttp2 {
    private static final ApiCache<TomcatHttp2> CACHE = new ApiCache<>(TomcatHttp2::new);
    private static final long NO_ERROR = 0;

    private final Method writeGoAway;
    private final Field connectionState;
    private final Field activeStreams;
    private final Field lastStreamId;
    private final Field protocol;
    private final Field ownKeepAlive;
    /** Tomcat's state in which a new stream is ignored: above the GOAWAY's last stream, it was not processed. */
    private final Object paused;
    private final Field readOperation;
    private final Field operationBuffers;
    private final Method hasAsyncIO;
    private final Object upgraded;
    private final Object asyncIo;

    static TomcatHttp2 of(Class<?> handlerClass) {
        return CACHE.get(handlerClass);
    }

    /** What the class's loader lacks of HTTP/2's internals, for the warning that says so; null if nothing. */
    static String missing(Class<?> handlerClass) {
        return CACHE.missing(handlerClass);
    }

    private TomcatHttp2(ClassLoader cl) throws ReflectiveOperationException {
        Class<?> handler = load(cl, "org.apache.coyote.http2.Http2UpgradeHandler");
        writeGoAway = method(handler, "writeGoAwayFrame", int.class, long.class, byte[].class);
        connectionState = field(handler, "connectionState");
        activeStreams = field(handler, "activeRemoteStreamCount");
        lastStreamId = field(handler, "maxProcessedStreamId");
        protocol = field(handler, "protocol");
        ownKeepAlive = field(load(cl, "org.apache.coyote.http2.Http2Protocol"), "keepAliveTimeout");
        paused = constant(load(cl, "org.apache.coyote.http2.Http2UpgradeHandler$ConnectionState"), "PAUSED");
        Class<?> wrapper = load(cl, "org.apache.tomcat.util.net.SocketWrapperBase");
        hasAsyncIO = wrapper.getMethod("hasAsyncIO");
        readOperation = field(wrapper, "readOperation");
        operationBuffers = field(load(cl, "org.apache.tomcat.util.net.SocketWrapperBase$OperationState"), "buffers");
        Class<?> socketState = load(cl, "org.apache.tomcat.util.net.AbstractEndpoint$Handler$SocketState");
        upgraded = constant(socketState, "UPGRADED");
        asyncIo = constant(socketState, "ASYNC_IO");
    }

    private static Object constant(Class<?> enumType, String name) throws NoSuchFieldException {
        for (Object c : enumType.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(name)) {
                return c;
            }
        }
        throw new NoSuchFieldException(enumType.getName() + "." + name);
    }

    int activeStreams(Object handler) throws IllegalAccessException {
        return ((AtomicInteger) activeStreams.get(handler)).get();
    }

    int lastStreamId(Object handler) throws IllegalAccessException {
        return lastStreamId.getInt(handler);
    }

    /** Whether the connection's pending asynchronous read holds part of a frame: its buffers are filled in place. */
    boolean frameHeld(Object socketWrapper) throws IllegalAccessException {
        Object operation = readOperation.get(socketWrapper);
        if (operation == null) {
            return false;
        }
        for (ByteBuffer b : (ByteBuffer[]) operationBuffers.get(operation)) {
            if (b != null && b.position() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Http2Protocol's own keep-alive, as Tomcat armed it before the agent came. */
    long ownKeepAlive(Object handler) throws IllegalAccessException {
        return ownKeepAlive.getLong(protocol.get(handler));
    }

    /**
     * The GOAWAY naming the last stream processed, and from then on a new stream is ignored (Tomcat's own drain, whose
     * state this is): the peer knows from the GOAWAY it was not processed.
     */
    @SuppressWarnings("unchecked")
    boolean goAway(Object handler) throws ReflectiveOperationException {
        AtomicReference<Object> state = (AtomicReference<Object>) connectionState.get(handler);
        Object was = state.get();
        if (((Enum<?>) was).name().equals("CLOSED") || !state.compareAndSet(was, paused)) {
            return false;
        }
        writeGoAway.invoke(handler, lastStreamId(handler), NO_ERROR, null);
        return true;
    }

    /** What {@code upgradeDispatch} answers to keep a connection open and waiting (as it does after reading). */
    Object keptOpen(Object socketWrapper) throws ReflectiveOperationException {
        return (Boolean) hasAsyncIO.invoke(socketWrapper) ? asyncIo : upgraded;
    }
}
