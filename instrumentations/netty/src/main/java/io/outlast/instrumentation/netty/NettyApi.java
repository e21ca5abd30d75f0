package io.outlast.instrumentation.netty;

import io.outlast.family.ApiCache;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;

import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.load;

/**
 * Netty's public API as one class loader sees it, resolved once per class. Resolution fails (and the
 * agent leaves that loader's Netty alone) where the loader lacks Netty's HTTP codec.
 */
final class NettyApi {
    private static final ApiCache<NettyApi> CACHE = new ApiCache<>(NettyApi::new);
    /**
     * Handlers of servers on Netty that stand for an HTTP/1 server codec: Vert.x's and Armeria's that tell HTTP/1 from
     * h2c by the first bytes (the codec comes then), Armeria's own fork of the codec, and its handler that reads a
     * ClientHello before its TLS handler (an HTTPS connection of Armeria's is HTTP).
     */
    private static final Set<String> HTTP_SERVER_HANDLERS = new HashSet<>(Arrays.asList(
            "io.vertx.core.http.impl.Http1xOrH2CHandler",
            "com.linecorp.armeria.server.HttpServerPipelineConfigurator$Http2PrefaceOrHttpHandler",
            "com.linecorp.armeria.server.HttpServerCodec",
            "com.linecorp.armeria.server.HttpsConnectionAcceptHandler"));

    /**
     * {@code netty-common}'s version; where the jars' version files were lost (an uber-jar that merged them without
     * those), the line its classes tell ("4.2.x").
     */
    final String version;
    /** The version files were gone: {@link #version} is the line told by the classes. */
    final boolean versionFromClasses;
    private final Method channel;
    private final Method parent;
    private final Class<?> serverChannel;
    private final Method eventLoop;
    private final Method isOpen;
    private final Method isShuttingDown;
    private final Method pipeline;
    private final Method pipelineChannel;
    private final Method localAddress;
    private final Method remoteAddress;
    private final Method close;
    private final Class<?> idleHandler;
    private final Method eventState;
    private final Method readerIdleMs;
    private final Method allIdleMs;
    private final Class<?> requestDecoder;
    private final Class<?> serverCodec;
    /** netty-handler's TLS handler and what the sweep reads of it; null without netty-handler. */
    private final Class<?> sslHandler;
    /** What reads a ClientHello before the TLS handler is chosen (SNI, Armeria's HTTPS), or null. */
    private final Class<?> clientHelloHandler;
    private final Method pipelineGet;
    private final Method handshakeFuture;
    private final Method isDone;
    private final Method sslEngine;
    private final Field cumulation;
    private final Method isReadable;
    /** Null where the loader has no HTTP/2 codec. */
    final NettyHttp2 h2;

    static NettyApi of(Class<?> nettyClass) {
        return CACHE.get(nettyClass);
    }

    private NettyApi(ClassLoader cl) throws ReflectiveOperationException {
        String files = version(cl);
        versionFromClasses = files == null;
        version = files != null ? files : lineFromClasses(cl);
        Class<?> ch = load(cl, "io.netty.channel.Channel");
        channel = load(cl, "io.netty.channel.ChannelHandlerContext").getMethod("channel");
        parent = ch.getMethod("parent");
        serverChannel = load(cl, "io.netty.channel.ServerChannel");
        eventLoop = ch.getMethod("eventLoop");
        isOpen = ch.getMethod("isOpen");
        pipeline = ch.getMethod("pipeline");
        localAddress = ch.getMethod("localAddress");
        remoteAddress = ch.getMethod("remoteAddress");
        close = load(cl, "io.netty.channel.ChannelOutboundInvoker").getMethod("close");
        isShuttingDown = load(cl, "io.netty.util.concurrent.EventExecutorGroup").getMethod("isShuttingDown");
        Class<?> pipelineType = load(cl, "io.netty.channel.ChannelPipeline");
        pipelineChannel = pipelineType.getMethod("channel");
        requestDecoder = load(cl, "io.netty.handler.codec.http.HttpRequestDecoder");
        serverCodec = load(cl, "io.netty.handler.codec.http.HttpServerCodec");
        // what the codec advice calls in Netty's own classes: a Netty without it is left alone
        load(cl, "io.netty.handler.codec.http.HttpResponseEncoder");
        load(cl, "io.netty.handler.codec.http.HttpResponse").getMethod("status").getReturnType()
                .getMethod("code");
        Class<?> idle = null;
        Method state = null;
        Method reader = null;
        Method all = null;
        try {
            // netty-handler: absent, there are no idle handlers to look after
            state = load(cl, "io.netty.handler.timeout.IdleStateEvent").getMethod("state");
            idle = load(cl, "io.netty.handler.timeout.IdleStateHandler");
            reader = idle.getMethod("getReaderIdleTimeInMillis");
            all = idle.getMethod("getAllIdleTimeInMillis");
        } catch (ClassNotFoundException e) {
            // left null
        }
        idleHandler = idle;
        eventState = state;
        readerIdleMs = reader;
        allIdleMs = all;
        pipelineGet = pipelineType.getMethod("get", Class.class);
        Class<?> ssl = null;
        Method future = null;
        Method done = null;
        Method engine = null;
        Field held = null;
        Method readable = null;
        try {
            ssl = load(cl, "io.netty.handler.ssl.SslHandler");
            future = ssl.getMethod("handshakeFuture");
            done = load(cl, "io.netty.util.concurrent.Future").getMethod("isDone");
            engine = ssl.getMethod("engine");
            held = field(load(cl, "io.netty.handler.codec.ByteToMessageDecoder"), "cumulation");
            readable = load(cl, "io.netty.buffer.ByteBuf").getMethod("isReadable");
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no netty-handler, or a decoder whose buffer is named otherwise: TLS handshakes count as idle
            ssl = null;
        }
        sslHandler = ssl;
        Class<?> hello = null;
        try {
            hello = ssl == null ? null : load(cl, "io.netty.handler.ssl.SslClientHelloHandler");
        } catch (ClassNotFoundException | LinkageError before41) {
            // before 4.1.46: an SNI handler of its own (not timed before its TLS handler)
        }
        clientHelloHandler = hello;
        handshakeFuture = future;
        isDone = done;
        sslEngine = engine;
        cumulation = held;
        isReadable = readable;
        h2 = NettyHttp2.of(cl);
    }

    /** The channel's HTTP/2 connection handler, or null: read by the sweep, kept only weakly. */
    Object h2Handler(Object channel) throws ReflectiveOperationException {
        return h2 == null ? null : pipelineGet.invoke(pipeline.invoke(channel), h2.handlerType);
    }

    /** The channel's TLS handler, or null: read by the sweep, never kept (it would keep the channel). */
    Object sslHandler(Object channel) throws ReflectiveOperationException {
        return sslHandler == null ? null : pipelineGet.invoke(pipeline.invoke(channel), sslHandler);
    }

    /** The channel's handler that reads a ClientHello before its TLS handler is chosen, or null. */
    Object clientHelloHandler(Object channel) throws ReflectiveOperationException {
        return clientHelloHandler == null ? null : pipelineGet.invoke(pipeline.invoke(channel), clientHelloHandler);
    }

    /** Part of a ClientHello held by such a handler: a handshake begun. */
    boolean helloArriving(Object clientHelloHandler) throws ReflectiveOperationException {
        Object held = cumulation.get(clientHelloHandler);
        return held != null && (Boolean) isReadable.invoke(held);
    }

    /**
     * A TLS handshake begun and not finished: its future not done, and bytes of it held (a record not whole
     * yet) or its engine under way. From the sweep's thread: the reads are of fields the event loop writes, a
     * late view at most.
     */
    boolean handshaking(Object sslHandler) throws ReflectiveOperationException {
        if ((Boolean) isDone.invoke(handshakeFuture.invoke(sslHandler))) {
            return false;
        }
        Object held = cumulation.get(sslHandler);
        if (held != null && (Boolean) isReadable.invoke(held)) {
            return true;
        }
        return ((SSLEngine) sslEngine.invoke(sslHandler)).getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    /**
     * The peer's TLS close_notify has been read on the channel: a server that closes on it (Reactor Netty does, at
     * once, before the peer's FIN) closes for the peer. On the event loop, at a close.
     */
    boolean tlsClosedByPeer(Object channel) throws ReflectiveOperationException {
        Object ssl = sslHandler(channel);
        return ssl != null && ((SSLEngine) sslEngine.invoke(ssl)).isInboundDone();
    }

    /** Netty's line by a type that 4.2 added ({@code IoHandler}): "4.2.x", else "4.1.x". */
    private static String lineFromClasses(ClassLoader cl) {
        try {
            load(cl, "io.netty.channel.IoHandler");
            return "4.2.x";
        } catch (ClassNotFoundException | LinkageError e) {
            return "4.1.x";
        }
    }

    private static String version(ClassLoader cl) {
        try {
            Map<?, ?> versions = (Map<?, ?>) load(cl, "io.netty.util.Version")
                    .getMethod("identify", ClassLoader.class).invoke(null, cl);
            for (String artifact : new String[] {"netty-common", "netty-transport", "netty-codec-http"}) {
                Object v = versions.get(artifact);
                if (v != null) {
                    return String.valueOf(v.getClass().getMethod("artifactVersion").invoke(v));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // unknown
        }
        return null;
    }

    Object channel(Object ctx) throws ReflectiveOperationException {
        return channel.invoke(ctx);
    }

    /** The channel's parent: for a server's connection, the server channel that accepted it. */
    Object parent(Object channel) throws ReflectiveOperationException {
        return parent.invoke(channel);
    }

    /**
     * A server's connection: its parent is a server channel. A client's channel has none; an HTTP/2 stream's
     * parent is its connection.
     */
    boolean isServerChild(Object channel) throws ReflectiveOperationException {
        return serverChannel.isInstance(parent.invoke(channel));
    }

    Object eventLoop(Object channel) throws ReflectiveOperationException {
        return eventLoop.invoke(channel);
    }

    boolean isOpen(Object channel) throws ReflectiveOperationException {
        return (Boolean) isOpen.invoke(channel);
    }

    boolean isShuttingDown(Object eventLoop) throws ReflectiveOperationException {
        return (Boolean) isShuttingDown.invoke(eventLoop);
    }

    void close(Object channel) throws ReflectiveOperationException {
        close.invoke(channel);
    }

    /** The channel's address as Netty keeps it: packed or formatted by the agent, never a string per connection here. */
    Object local(Object channel) throws ReflectiveOperationException {
        return localAddress.invoke(channel);
    }

    Object remote(Object channel) throws ReflectiveOperationException {
        return remoteAddress.invoke(channel);
    }

    Object pipeline(Object channel) throws ReflectiveOperationException {
        return pipeline.invoke(channel);
    }

    Object pipelineChannel(Object pipeline) throws ReflectiveOperationException {
        return pipelineChannel.invoke(pipeline);
    }

    /**
     * Whether the channel's pipeline holds an HTTP/1 server codec, its decoder on its own, or a handler that stands
     * for one ({@link #HTTP_SERVER_HANDLERS}: a connection yet to send its first bytes waits for its first request).
     */
    @SuppressWarnings("unchecked")
    boolean hasServerCodec(Object channel) throws ReflectiveOperationException {
        for (Map.Entry<String, ?> handler : (Iterable<Map.Entry<String, ?>>) pipeline.invoke(channel)) {
            Object h = handler.getValue();
            if (serverCodec.isInstance(h) || requestDecoder.isInstance(h)) {
                return true;
            }
            for (Class<?> c = h.getClass(); c != null; c = c.getSuperclass()) {
                if (HTTP_SERVER_HANDLERS.contains(c.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The idle timeout of an idle handler in the channel's pipeline (the application's own), or -1 for none. */
    @SuppressWarnings("unchecked")
    long pipelineIdleMs(Object channel) throws ReflectiveOperationException {
        if (idleHandler == null) {
            return -1;
        }
        for (Map.Entry<String, ?> handler : (Iterable<Map.Entry<String, ?>>) pipeline.invoke(channel)) {
            Object h = handler.getValue();
            if (idleHandler.isInstance(h)) {
                long reader = (Long) readerIdleMs.invoke(h);
                long all = (Long) allIdleMs.invoke(h);
                if (reader > 0 || all > 0) {
                    return reader > 0 && all > 0 ? Math.min(reader, all) : Math.max(reader, all);
                }
            }
        }
        return -1;
    }

    /** The idle timeout behind an idle event of this handler, or -1 for a writer-idle event (not a wait for the peer). */
    long idleEventTimeoutMs(Object handler, Object event) throws ReflectiveOperationException {
        if (eventState == null) {
            return -1;
        }
        String state = ((Enum<?>) eventState.invoke(event)).name();
        if (state.equals("READER_IDLE")) {
            return (Long) readerIdleMs.invoke(handler);
        }
        if (state.equals("ALL_IDLE")) {
            return (Long) allIdleMs.invoke(handler);
        }
        return -1;
    }
}
