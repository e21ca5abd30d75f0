package io.outlast.instrumentation.reactorclient;

import io.netty.channel.ChannelHandlerContext;
import io.outlast.bootstrap.ReactorClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Reactor Netty's bridge handler, in every channel's pipeline for the channel's life (in its pool too): its
 * {@code channelInactive} is the connection's close, whoever made it.
 */
final class InactiveInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "reactor.netty.channel.ChannelOperationsHandler";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(InactiveAdvice.class).on(named("channelInactive").and(takesArguments(1))));
    }

    public static final class InactiveAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object ctx) {
            ReactorClientHooks.get().inactive(((ChannelHandlerContext) ctx).channel());
        }
    }
}
