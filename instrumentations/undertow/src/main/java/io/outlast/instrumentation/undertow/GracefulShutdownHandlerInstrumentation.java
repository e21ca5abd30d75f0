package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A graceful shutdown beginning (Spring Boot's for Undertow): from it on the handler answers every request 503, a
 * kept-alive connection's too. With a drain set, the drain comes first.
 */
final class GracefulShutdownHandlerInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.undertow.server.handlers.GracefulShutdownHandler";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ShutdownAdvice.class).on(named("shutdown").and(takesArguments(0))));
    }

    public static final class ShutdownAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter() {
            UndertowHooks.get().gracefulShutdown();
        }
    }
}
