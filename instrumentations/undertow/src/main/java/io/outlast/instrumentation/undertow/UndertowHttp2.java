package io.outlast.instrumentation.undertow;

import io.outlast.family.ApiCache;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.Map;

import static io.outlast.family.Reflection.accessible;
import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.load;

/**
 * Undertow's HTTP/2 channel (2.2, 2.3) as one class loader sees it, resolved only from a channel that exists. Its
 * timer is a {@code ParseTimeoutUpdater} like an HTTP/1.1 connection's, keyed by the channel itself.
 */
final class UndertowHttp2 {
    private static final String CHANNEL = "io.undertow.protocols.http2.Http2Channel";
    private static final ApiCache<UndertowHttp2> CACHE = new ApiCache<>(UndertowHttp2::new);
    /** How deep merged close listeners are looked into (each merge holds two; WildFly sets two or three). */
    private static final int MERGED_LISTENERS_DEPTH = 4;

    private final Field readChannelDone;
    private final Field readData;
    private final Method buffer;
    private final Field streams;
    private final Field frameParser;
    private final Field lastStreamId;
    private final Field socket;
    private final Method closeListener;
    private final Field closeSetterOwner;
    private final Field connectionSocket;
    private final Method sourceChannel;
    private final Method readListener;

    /** Whether a timer's connection is an HTTP/2 channel (by name: nothing loaded to ask). */
    static boolean is(Object connection) {
        return connection.getClass().getName().equals(CHANNEL);
    }

    static UndertowHttp2 of(Object channel) {
        return ofClass(channel.getClass());
    }

    static UndertowHttp2 ofClass(Class<?> channelClass) {
        return CACHE.get(channelClass);
    }

    private UndertowHttp2(ClassLoader cl) throws ReflectiveOperationException {
        Class<?> framed = load(cl, "io.undertow.server.protocol.framed.AbstractFramedChannel");
        readChannelDone = field(framed, "readChannelDone");
        readData = field(framed, "readData");
        buffer = load(cl, "io.undertow.util.ReferenceCountedPooled").getMethod("getBuffer");
        streams = field(load(cl, CHANNEL), "currentStreams");
        frameParser = field(load(cl, CHANNEL), "frameParser");
        lastStreamId = field(load(cl, CHANNEL), "lastGoodStreamId");
        socket = field(framed, "channel");
        Class<?> streamConnection = load(cl, "org.xnio.StreamConnection");
        closeListener = streamConnection.getMethod("getCloseListener");
        closeSetterOwner = field(load(cl, "io.undertow.server.AbstractServerConnection$CloseSetter"), "this$0");
        connectionSocket = field(load(cl, "io.undertow.server.AbstractServerConnection"), "channel");
        sourceChannel = streamConnection.getMethod("getSourceChannel");
        readListener = sourceChannel.getReturnType().getMethod("getReadListener");
    }

    /**
     * The HTTP/1.1 connection this channel took over (h2c by prior knowledge, whose preface came as a request, or by
     * an Upgrade): the socket's close listener is still that connection's. Null for h2 by ALPN.
     */
    Object handedOverBy(Object channel) throws ReflectiveOperationException {
        return closeSetterOwner(closeListener.invoke(socket.get(channel)), MERGED_LISTENERS_DEPTH);
    }

    /**
     * The connection whose close setter the listener is, or holds: XNIO merges a socket's close listeners into one (a
     * lambda holding both) where more than one is set, as WildFly does.
     */
    private Object closeSetterOwner(Object listener, int depth) throws IllegalAccessException {
        if (listener == null) {
            return null;
        }
        Class<?> type = listener.getClass();
        if (type == closeSetterOwner.getDeclaringClass()) {
            return closeSetterOwner.get(listener);
        }
        if (depth == 0 || !type.isSynthetic()) {
            return null;
        }
        for (Field captured : type.getDeclaredFields()) {
            if (!Modifier.isStatic(captured.getModifiers())) {
                Object found = closeSetterOwner(accessible(captured).get(listener), depth - 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Streams the peer opened: the highest one's number (a client's are odd; an Upgrade's request is stream 1). */
    int streams(Object channel) throws IllegalAccessException {
        return (lastStreamId.getInt(channel) + 1) / 2;
    }

    /**
     * Whether an HTTP/1.1 connection's socket is read by an HTTP/2 channel now: its end is the channel's to report.
     */
    boolean handedOver(Object connection) throws ReflectiveOperationException {
        Object listener = readListener.invoke(sourceChannel.invoke(connectionSocket.get(connection)));
        return listener != null && listener.getClass().getName().startsWith("io.undertow.server.protocol.framed.");
    }

    /**
     * A stream's header arriving: no stream open, and a frame begun (its parser made at its first byte, let go at
     * its last) or bytes read and held unparsed. Undertow's parse timer does not see it (it starts only for a frame
     * read whole that opens no stream). From the sweep's thread: what it reads may change meanwhile, and the next
     * sweep says so.
     */
    boolean headerArriving(Object channel) throws ReflectiveOperationException {
        if (!((Map<?, ?>) streams.get(channel)).isEmpty()) {
            return false;
        }
        if (frameParser.get(channel) != null) {
            return true;
        }
        Object held = readData.get(channel);
        if (held == null) {
            return false;
        }
        try {
            ByteBuffer b = (ByteBuffer) buffer.invoke(held);
            return b != null && b.hasRemaining();
        } catch (InvocationTargetException freed) {
            return false;
        }
    }

    /** The channel read the end of its stream: the peer closed. */
    boolean readEnded(Object channel) throws IllegalAccessException {
        return readChannelDone.getBoolean(channel);
    }
}
