package io.outlast.instrumentation.reactorclient;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.outlast.bootstrap.ReactorClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import reactor.netty.Connection;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A client exchange: made for each request on a pooled connection (its start), and its inbound messages (the
 * response's head, with any {@code Keep-Alive: timeout=} the upstream announces, and its end). An HTTP/2 stream's
 * channel (it has a parent) is not a pooled connection: left alone. Parameters stay {@code Object}: the agent's
 * loader cannot see Reactor Netty; the casts are inlined into its classes, where they resolve.
 */
final class ClientOperationsInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "reactor.netty.http.client.HttpClientOperations";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(StartAdvice.class).on(isConstructor().and(takesArguments(5))
                        .and(takesArgument(0, named("reactor.netty.Connection")))))
                .visit(Advice.to(InboundAdvice.class).on(named("onInboundNext").and(takesArguments(2))));
    }

    public static final class StartAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) Object connection) {
            Channel channel = ((Connection) connection).channel();
            if (channel.parent() == null) {
                ReactorClientHooks.get().requestStarted(channel);
            }
        }
    }

    public static final class InboundAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object ctx, @Advice.Argument(1) Object msg) {
            boolean head = msg instanceof HttpResponse;
            boolean last = msg instanceof LastHttpContent;
            if (head || last) {
                ReactorClientHooks.get().response(((ChannelHandlerContext) ctx).channel(), head,
                        head ? ((HttpResponse) msg).headers().get("Keep-Alive") : null, last);
            }
        }
    }
}
