package app;

import app.control.AppControl;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A plain Netty HTTP/1.1 server (test-apps netty-4.1 and netty-4.2 build this one source) answering "ok",
 * WebSocket at /ws. Netty has no idle timeout: -Dapp.idle=MS adds the usual IdleStateHandler that closes
 * on its event; -Dapp.ws.idle=MS gives each WebSocket an idle handler of its own, added at the handshake, that
 * sends a close frame on its event; -Dapp.tls.keystore=PATH and -Dapp.tls.password serve TLS only. The command
 * "client PORT" opens a keep-alive connection with Netty's HTTP client from this
 * JVM and answers "CLIENT localPort=N"; "client?" answers "CLIENT open=true|false".
 */
public final class Main {
    private static volatile Channel client;
    private static final long WS_IDLE_MS = Long.getLong("app.ws.idle", -1);

    public static void main(String[] args) throws Exception {
        SslContext tls = tls();
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(2);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        if (AppControl.ownIdleMs() > 0) {
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, AppControl.ownIdleMs(), TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws"), new Hello());
                    }
                });
        Channel server = bootstrap.bind("127.0.0.1", AppControl.port()).sync().channel();
        AppControl.command("client", Main::openClient);
        AppControl.command("client?", ignored -> "CLIENT open=" + (client != null && client.isOpen()));
        AppControl.readyUntilStopped(((InetSocketAddress) server.localAddress()).getPort(), Main.class);
        server.close().sync();
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        AppControl.stopped();
    }

    /** With the tests' TLS key: TLS (the JDK's engine) before the codec. */
    private static SslContext tls() throws Exception {
        KeyManagerFactory keys = AppControl.tlsKeys();
        return keys == null ? null : SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).build();
    }

    static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            HttpUtil.setContentLength(response, response.content().readableBytes());
            if (HttpUtil.isKeepAlive(request)) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete && WS_IDLE_MS > 0) {
                ctx.pipeline().addFirst(new IdleStateHandler(0, 0, WS_IDLE_MS, TimeUnit.MILLISECONDS));
            } else if (evt instanceof IdleStateEvent && ctx.pipeline().get(HttpServerCodec.class) == null) {
                ctx.writeAndFlush(new CloseWebSocketFrame(1001, "idle")).addListener(ChannelFutureListener.CLOSE);
            } else if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** A keep-alive client connection to 127.0.0.1:PORT, one request answered, then left open. */
    private static String openClient(String port) {
        try {
            java.util.concurrent.CompletableFuture<Void> answered = new java.util.concurrent.CompletableFuture<>();
            Channel ch = new Bootstrap().group(new NioEventLoopGroup(1)).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new SimpleChannelInboundHandler<HttpObject>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                                    if (msg instanceof io.netty.handler.codec.http.LastHttpContent) {
                                        answered.complete(null);
                                    }
                                }
                            });
                        }
                    })
                    .connect("127.0.0.1", Integer.parseInt(port)).sync().channel();
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
            request.headers().set(HttpHeaderNames.HOST, "127.0.0.1");
            ch.writeAndFlush(request);
            answered.get(5, TimeUnit.SECONDS);
            client = ch;
            return "CLIENT localPort=" + ((InetSocketAddress) ch.localAddress()).getPort();
        } catch (Exception e) {
            return "CLIENT failed " + e;
        }
    }
}
