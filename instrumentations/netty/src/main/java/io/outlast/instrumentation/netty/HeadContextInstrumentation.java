package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.NettyHooks;
import io.outlast.core.TypeInstrumentation;
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

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object head) {
            NettyHooks.get().closing(head);
        }
    }
}
