package io.outlast.instrumentation.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ServerChannel;
import io.outlast.bootstrap.NettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A close through the pipeline: the server's own (the peer's end of input and event loop shutdown bypass it). */
final class HeadContextInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.netty.channel.DefaultChannelPipeline$HeadContext";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(2))));
    }

    /** Netty's own calls, inlined into Netty's class: no reflection on a server's every close. */
    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object ctx) {
            // parameters stay Object: the agent's loader, which reads this advice, cannot see Netty
            Channel channel = ((ChannelHandlerContext) ctx).channel();
            Channel parent = channel.parent();
            if (parent instanceof ServerChannel) {
                NettyHooks.get().closing(channel, !parent.isOpen() || channel.eventLoop().isShuttingDown());
            }
        }
    }
}
