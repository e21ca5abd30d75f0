package io.outlast.instrumentation.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.AttributeKey;
import io.netty.handler.codec.http.LastHttpContent;
import io.outlast.bootstrap.NettyConnectionState;
import io.outlast.bootstrap.NettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** Responses leaving: the last content of one is counted (the sweep starts the idle clock when it sees the count). */
final class HttpObjectEncoderInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.netty.handler.codec.http.HttpObjectEncoder";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(EncodeAdvice.class).on(named("encode").and(takesArguments(3))));
    }

    /** As the decoder's: Netty's own calls and the counting inlined, a hook call only where they cannot do. */
    public static final class EncodeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object encoder, @Advice.Argument(0) Object ctx,
                                 @Advice.Argument(1) Object msg) {
            if (!(encoder instanceof HttpResponseEncoder)) {
                return;
            }
            int status = -1;
            boolean last = true;
            // a response without a body, or one written in parts, ends with this one: not type-checked (as the decoder's)
            if (msg != LastHttpContent.EMPTY_LAST_CONTENT) {
                status = msg instanceof HttpResponse ? ((HttpResponse) msg).status().code() : -1;
                last = msg instanceof LastHttpContent;
            }
            if (status >= 0 || last) {
                Channel channel = ((ChannelHandlerContext) ctx).channel();
                Object key = NettyHooks.stateKey();
                // none before the first connection the advice met: open before an attach, the hook finds it
                Object state = key instanceof AttributeKey ? channel.attr((AttributeKey<?>) key).get() : null;
                if (state instanceof NettyConnectionState && ((NettyConnectionState) state).counted && (status < 100 || status >= 200)) {
                    if (last) {
                        ((NettyConnectionState) state).responsesOut++;
                    }
                } else {
                    NettyHooks.get().encoding(encoder, channel, state, status, last);
                }
            }
        }
    }
}
