package io.outlast.instrumentation.netty;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.load;

/**
 * Netty's HTTP/2 connection handler as one class loader sees it ({@code Http2FrameCodec}, Reactor Netty's and
 * gRPC's handlers all extend it): what the agent's sweep reads of a connection speaking HTTP/2. Reads from the
 * sweep's thread are of fields the event loop writes, a late view at most; a close is decided on the event loop.
 */
final class NettyHttp2 {
    final Class<?> handlerType;
    private final Method connection;
    private final Method numActiveStreams;
    private final Method remote;
    private final Method lastStreamCreated;
    /** The decoder's buffer: a frame not whole yet (its header, or a HEADERS frame arriving slowly). */
    private final Field cumulation;
    private final Method isReadable;
    /** What a graceful close writes: a GOAWAY through the handler, on the event loop. */
    private final Method context;
    private final Method goAway;
    private final Method newPromise;
    private final Method flush;
    private final Object emptyBuffer;

    /** Null where the loader has no HTTP/2 codec: HTTP/1 is governed all the same. */
    static NettyHttp2 of(ClassLoader cl) {
        try {
            return new NettyHttp2(cl);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    private NettyHttp2(ClassLoader cl) throws ReflectiveOperationException {
        handlerType = load(cl, "io.netty.handler.codec.http2.Http2ConnectionHandler");
        connection = handlerType.getMethod("connection");
        Class<?> h2 = load(cl, "io.netty.handler.codec.http2.Http2Connection");
        numActiveStreams = h2.getMethod("numActiveStreams");
        remote = h2.getMethod("remote");
        lastStreamCreated = load(cl, "io.netty.handler.codec.http2.Http2Connection$Endpoint").getMethod("lastStreamCreated");
        cumulation = field(load(cl, "io.netty.handler.codec.ByteToMessageDecoder"), "cumulation");
        Class<?> byteBuf = load(cl, "io.netty.buffer.ByteBuf");
        isReadable = byteBuf.getMethod("isReadable");
        Class<?> ctx = load(cl, "io.netty.channel.ChannelHandlerContext");
        context = load(cl, "io.netty.channel.ChannelPipeline").getMethod("context", load(cl, "io.netty.channel.ChannelHandler"));
        goAway = handlerType.getMethod("goAway", ctx, int.class, long.class, byteBuf, load(cl, "io.netty.channel.ChannelPromise"));
        newPromise = ctx.getMethod("newPromise");
        flush = ctx.getMethod("flush");
        emptyBuffer = load(cl, "io.netty.buffer.Unpooled").getField("EMPTY_BUFFER").get(null);
    }

    int activeStreams(Object handler) throws ReflectiveOperationException {
        return (Integer) numActiveStreams.invoke(connection.invoke(handler));
    }

    /** The peer's last stream: its streams are 1, 3, 5, ... */
    int lastStream(Object handler) throws ReflectiveOperationException {
        return (Integer) lastStreamCreated.invoke(remote.invoke(connection.invoke(handler)));
    }

    /**
     * The handler closes gracefully by itself on a close (gRPC's: GOAWAY for all streams, PING, GOAWAY naming the
     * last; Armeria's: GOAWAY for all streams, its drain, GOAWAY naming the last); Netty's own writes its GOAWAY and
     * closes at once.
     */
    boolean closesGracefully(Object handler) {
        String type = handler.getClass().getName();
        return type.startsWith("io.grpc.") || type.startsWith("com.linecorp.armeria.");
    }

    /**
     * A GOAWAY naming the peer's last stream, {@code NO_ERROR}, flushed: from here the peer opens no stream on the
     * connection, and one it sent before reading this is refused by the handler. On the event loop.
     */
    void goAway(Object pipeline, Object handler) throws ReflectiveOperationException {
        Object ctx = context.invoke(pipeline, handler);
        if (ctx != null) {
            goAway.invoke(handler, ctx, lastStream(handler), 0L, emptyBuffer, newPromise.invoke(ctx));
            flush.invoke(ctx);
        }
    }

    /** Bytes of a frame held, not decoded yet. */
    boolean framePending(Object handler) throws ReflectiveOperationException {
        Object held = cumulation.get(handler);
        return held != null && (Boolean) isReadable.invoke(held);
    }
}
