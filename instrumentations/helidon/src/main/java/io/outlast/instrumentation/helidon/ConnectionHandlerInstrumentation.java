package io.outlast.instrumentation.helidon;

import io.outlast.bootstrap.HelidonHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A connection's life: its handler runs on the connection's own thread from the accept to the close. The close is
 * the handler's own {@code closeChannel}, a call of its own: it is seen on a connection open before an attach too,
 * whose {@code run} began before the advice was there.
 */
final class ConnectionHandlerInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.helidon.webserver.ConnectionHandler";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(RunAdvice.class).on(named("run").and(takesArguments(0))))
                .visit(Advice.to(CloseAdvice.class).on(named("closeChannel").and(takesArguments(1))));
    }

    public static final class RunAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object handler) {
            HelidonHooks.get().accepted(handler);
        }
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object handler) {
            HelidonHooks.get().closing(handler);
        }
    }
}
