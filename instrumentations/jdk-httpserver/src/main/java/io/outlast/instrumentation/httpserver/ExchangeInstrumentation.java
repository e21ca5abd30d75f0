package io.outlast.instrumentation.httpserver;

import io.outlast.bootstrap.HttpServerHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** The task that reads a request: which connection the current thread is reading, while it reads. */
final class ExchangeInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.net.httpserver.ServerImpl$Exchange";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(RunAdvice.class).on(named("run").and(takesArguments(0))));
    }

    public static final class RunAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("connection") Object connection) {
            HttpServerHooks.get().exchangeStarted(connection);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit() {
            HttpServerHooks.get().exchangeDone();
        }
    }
}
