package io.outlast.instrumentation.reactorclient;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.outlast.bootstrap.ReactorClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Reactor Netty's bridge handler, in every channel's pipeline for the channel's life (in its pool too): its
 * {@code channelInactive} is the connection's close, whoever made it; at its exit, once the exchange on it has been told
 * (the failure of a request the close cut, {@link ClientOperationsInstrumentation}).
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
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) Object ctx) {
            Channel channel = ((ChannelHandlerContext) ctx).channel();
            if (channel.parent() == null) {
                ReactorClientHooks.get().inactive(channel);
            }
        }
    }
}
