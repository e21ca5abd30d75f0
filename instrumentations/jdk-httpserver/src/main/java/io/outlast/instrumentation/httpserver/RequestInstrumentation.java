package io.outlast.instrumentation.httpserver;

import io.outlast.bootstrap.HttpServerHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** Reading a request line: none (end of stream) is the peer's FIN, an exception a reset or failure. */
final class RequestInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.net.httpserver.Request";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(RequestLineAdvice.class).on(named("requestLine").and(takesArguments(0))));
    }

    public static final class RequestLineAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Return Object line, @Advice.Thrown Throwable thrown) {
            HttpServerHooks.get().requestLineRead(line == null, thrown);
        }
    }
}
