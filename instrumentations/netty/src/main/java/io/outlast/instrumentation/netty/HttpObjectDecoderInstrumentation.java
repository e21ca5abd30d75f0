package io.outlast.instrumentation.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.outlast.bootstrap.NettyHooks;
import io.outlast.core.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Requests arriving: a decode that begins outside a request is a header's first byte; one that outputs a
 * request has its headers complete. Vert.x's decoder and the one in HttpServerCodec call this one.
 */
final class HttpObjectDecoderInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.netty.handler.codec.http.HttpObjectDecoder";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(DecodeAdvice.class).on(named("decode").and(takesArguments(3))));
    }

    /**
     * Runs once per read on every HTTP/1 connection: the checks, the channel and the reading of what the
     * decode output are Netty's own calls here, inlined into Netty's class (where its types resolve and its
     * type checks are the JIT's fastest), so that only a server's request decoder costs a hook call, and no
     * reflection is on this path. Parameters stay {@code Object}: the agent's loader cannot see Netty.
     */
    public static final class DecodeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Object enter(@Advice.This Object decoder, @Advice.Argument(0) Object ctx,
                                   @Advice.Argument(2) List<?> out, @Advice.Local("mark") int mark) {
            if (!(decoder instanceof HttpRequestDecoder)) {
                return null;
            }
            mark = out.size();
            Channel channel = ((ChannelHandlerContext) ctx).channel();
            Object key = NettyHooks.stateKey();
            return NettyHooks.get().decoding(decoder, channel, channel.attr(key instanceof AttributeKey
                    ? (AttributeKey<?>) key : AttributeKey.valueOf(NettyHooks.STATE_KEY)).get());
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Enter Object connection, @Advice.Argument(2) List<?> out,
                                @Advice.Local("mark") int mark) {
            if (connection == null) {
                return;
            }
            int requests = 0;
            int inBody = -1;
            for (int i = mark; i < out.size(); i++) {
                Object msg = out.get(i);
                if (msg instanceof HttpRequest) {
                    requests++;
                    inBody = 1;
                }
                if (msg instanceof LastHttpContent) {
                    inBody = 0;
                }
            }
            if (inBody >= 0) {
                NettyHooks.get().decoded(connection, requests, inBody);
            }
        }
    }
}
