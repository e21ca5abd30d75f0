package io.outlast.instrumentation.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.AttributeKey;
import io.netty.handler.codec.http.LastHttpContent;
import io.outlast.bootstrap.NettyHooks;
import io.outlast.core.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** Responses leaving: the last content of one starts the idle clock once every request is answered. */
final class HttpObjectEncoderInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.netty.handler.codec.http.HttpObjectEncoder";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(EncodeAdvice.class).on(named("encode").and(takesArguments(3))));
    }

    /** As the decoder's: Netty's own calls inlined, a hook call only for a response's head or its end. */
    public static final class EncodeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object encoder, @Advice.Argument(0) Object ctx,
                                 @Advice.Argument(1) Object msg) {
            if (!(encoder instanceof HttpResponseEncoder)) {
                return;
            }
            int status = msg instanceof HttpResponse ? ((HttpResponse) msg).status().code() : -1;
            boolean last = msg instanceof LastHttpContent;
            if (status >= 0 || last) {
                Channel channel = ((ChannelHandlerContext) ctx).channel();
                Object key = NettyHooks.stateKey();
                NettyHooks.get().encoding(encoder, channel, channel.attr(key instanceof AttributeKey
                        ? (AttributeKey<?>) key : AttributeKey.valueOf(NettyHooks.STATE_KEY)).get(), status, last);
            }
        }
    }
}
