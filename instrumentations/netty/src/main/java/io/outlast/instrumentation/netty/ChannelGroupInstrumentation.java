package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.NettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A group of connections closed at once: a server shutting down, before its own channel is closed. */
final class ChannelGroupInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.netty.channel.group.DefaultChannelGroup";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(1))));
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object group) {
            NettyHooks.get().groupClosing(group);
        }
    }
}
