package io.outlast.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty's own HTTP/2 client (its frame codec: the connection preface, SETTINGS, flow control and HPACK all Netty's),
 * h2c by prior knowledge or h2 by ALPN: one GET answered, then what the connection's end looked like to it, the GOAWAY
 * it read and when the channel went inactive. The tests' {@link H2Probe} speaks frames by hand; this checks the same
 * ends with a client proxies are built on.
 */
final class NettyH2Client implements AutoCloseable {
    record End(long goAwayMs, int lastStreamId, long errorCode, long closedMs) {
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final CompletableFuture<Void> answered = new CompletableFuture<>();
    private final CompletableFuture<End> ended = new CompletableFuture<>();
    private final Channel channel;
    private final Http2FrameCodec codec;
    private volatile long startNanos;
    private final boolean tls;
    /** The first GOAWAY's time; the last one's stream and code (a graceful shutdown's first says 2^31-1, all). */
    private volatile long goAwayNanos;
    private volatile int lastStreamId = -1;
    private volatile long errorCode = -1;

    NettyH2Client(ServerProcess server) throws Exception {
        tls = server.tls;
        codec = Http2FrameCodecBuilder.forClient().build();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) throws Exception {
                if (server.tls) {
                    ch.pipeline().addLast(SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                            .trustManager(InsecureTrustManagerFactory.INSTANCE)
                            .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                                    ApplicationProtocolNames.HTTP_2))
                            .build().newHandler(ch.alloc(), "127.0.0.1", server.port));
                }
                ch.pipeline().addLast(codec, new Http2MultiplexHandler(new Frames()), new Frames());
            }
        });
        channel = b.connect("127.0.0.1", server.port).sync().channel();
    }

    int localPort() {
        return ((java.net.InetSocketAddress) channel.localAddress()).getPort();
    }

    /** A GET on a new stream; returns its id (Netty's client begins at 3) once its response has ended. */
    int get() throws Exception {
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel).handler(new Frames()).open().sync().getNow();
        DefaultHttp2Headers headers = new DefaultHttp2Headers();
        headers.method("GET").path("/").scheme(tls ? "https" : "http").authority("127.0.0.1");
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true)).sync();
        answered.get(10, TimeUnit.SECONDS);
        return stream.stream().id();
    }

    /** Waits up to {@code maxMs} from {@code startNanos} for the server to end the connection; null if it did not. */
    End endedAfter(long startNanos, long maxMs) throws Exception {
        this.startNanos = startNanos;
        try {
            return ended.get(Math.max(1, maxMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    /** On the connection: its GOAWAYs and its end; on a stream: the end of its response. */
    @io.netty.channel.ChannelHandler.Sharable
    private final class Frames extends SimpleChannelInboundHandler<Object> {
        Frames() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2GoAwayFrame) {
                    if (lastStreamId == -1) {
                        goAwayNanos = System.nanoTime();
                    }
                    lastStreamId = ((Http2GoAwayFrame) msg).lastStreamId();
                    errorCode = ((Http2GoAwayFrame) msg).errorCode();
                } else if (msg instanceof Http2StreamFrame && endStream(msg)) {
                    answered.complete(null);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private boolean endStream(Object msg) {
            return msg instanceof Http2HeadersFrame ? ((Http2HeadersFrame) msg).isEndStream()
                    : msg instanceof Http2DataFrame && ((Http2DataFrame) msg).isEndStream();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() != channel) {
                return; // a stream's end
            }
            long closed = System.nanoTime();
            ended.complete(new End(lastStreamId == -1 ? -1 : ms(goAwayNanos), lastStreamId, errorCode, ms(closed)));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private long ms(long nanos) {
            return TimeUnit.NANOSECONDS.toMillis(nanos - startNanos);
        }
    }

    @Override
    public void close() {
        channel.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
