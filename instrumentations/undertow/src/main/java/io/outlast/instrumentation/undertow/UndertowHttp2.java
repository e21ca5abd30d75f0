package io.outlast.instrumentation.undertow;

import io.outlast.family.ApiCache;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Map;

import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.load;

/**
 * Undertow's HTTP/2 channel (2.2, 2.3) as one class loader sees it, resolved only from a channel that exists. Its
 * timer is a {@code ParseTimeoutUpdater} like an HTTP/1.1 connection's, keyed by the channel itself.
 */
final class UndertowHttp2 {
    private static final String CHANNEL = "io.undertow.protocols.http2.Http2Channel";
    private static final ApiCache<UndertowHttp2> CACHE = new ApiCache<>(UndertowHttp2::new);

    private final Field readChannelDone;
    private final Field readData;
    private final Method buffer;
    private final Field streams;
    private final Field frameParser;

    /** Whether a timer's connection is an HTTP/2 channel (by name: nothing loaded to ask). */
    static boolean is(Object connection) {
        return connection.getClass().getName().equals(CHANNEL);
    }

    static UndertowHttp2 of(Object channel) {
        return CACHE.get(channel.getClass());
    }

    private UndertowHttp2(ClassLoader cl) throws ReflectiveOperationException {
        Class<?> framed = load(cl, "io.undertow.server.protocol.framed.AbstractFramedChannel");
        readChannelDone = field(framed, "readChannelDone");
        readData = field(framed, "readData");
        buffer = load(cl, "io.undertow.util.ReferenceCountedPooled").getMethod("getBuffer");
        streams = field(load(cl, CHANNEL), "currentStreams");
        frameParser = field(load(cl, CHANNEL), "frameParser");
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
