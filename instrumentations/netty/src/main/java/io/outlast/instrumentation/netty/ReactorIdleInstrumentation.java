package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.NettyHooks;
import io.outlast.core.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Reactor Netty arms its idle timeout (none by default) each time a connection starts waiting, through one
 * static method (1.1: {@code reactor.netty.http.server.IdleTimeoutHandler}, 1.2: {@code reactor.netty.http}):
 * the agent's idle replaces the application's there.
 */
final class ReactorIdleInstrumentation implements TypeInstrumentation {
    private final String typeName;

    ReactorIdleInstrumentation(String typeName) {
        this.typeName = typeName;
    }

    @Override
    public String typeName() {
        return typeName;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(AddAdvice.class).on(named("addIdleTimeoutHandler").and(isStatic())))
                .visit(Advice.to(IdleHandlerInstrumentation.ChannelIdleAdvice.class).on(named("channelIdle")));
    }

    public static final class AddAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object pipeline,
                                 @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC)
                                 java.time.Duration idleTimeout) {
            idleTimeout = (java.time.Duration) NettyHooks.get().reactorIdle(pipeline, idleTimeout);
        }
    }
}
