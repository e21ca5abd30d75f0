package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.NettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Vert.x (4.5, 5.0) reads its idle timeout (none by default) for each new connection, from its options'
 * getters: for an HTTP server's options they answer the agent's idle, in milliseconds.
 */
final class VertxOptionsInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.vertx.core.net.TCPSSLOptions";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(IdleAdvice.class).on(named("getIdleTimeout").and(takesArguments(0))))
                .visit(Advice.to(IdleUnitAdvice.class).on(named("getIdleTimeoutUnit").and(takesArguments(0))));
    }

    public static final class IdleAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object options, @Advice.Return(readOnly = false) int idleTimeout) {
            idleTimeout = NettyHooks.get().vertxIdle(options, idleTimeout);
        }
    }

    public static final class IdleUnitAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object options,
                                @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object unit) {
            unit = NettyHooks.get().vertxIdleUnit(options, unit);
        }
    }
}
