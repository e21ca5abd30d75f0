package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.NettyHooks;
import io.outlast.core.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * An idle handler's event, in Netty's {@code IdleStateHandler} (Vert.x's idle timeout, an application's own)
 * and in Reactor Netty's subclasses, which override it: a close it makes is an idle close, and one armed
 * before an attach with less than the agent's idle is dropped (the handler re-arms itself first).
 */
final class IdleHandlerInstrumentation implements TypeInstrumentation {
    private final String typeName;

    IdleHandlerInstrumentation(String typeName) {
        this.typeName = typeName;
    }

    @Override
    public String typeName() {
        return typeName;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ChannelIdleAdvice.class).on(named("channelIdle").and(takesArguments(2))));
    }

    public static final class ChannelIdleAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static boolean enter(@Advice.This Object handler, @Advice.Argument(0) Object ctx,
                                    @Advice.Argument(1) Object event) {
            return NettyHooks.get().idleFiring(handler, ctx, event);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit() {
            NettyHooks.get().idleFired();
        }
    }
}
