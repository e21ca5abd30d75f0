package io.outlast.instrumentation.httpserver;

import io.outlast.bootstrap.HttpServerHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** An exchange is made once a request's headers are read: the end of the header deadline. */
final class ExchangeImplInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.net.httpserver.ExchangeImpl";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CreatedAdvice.class).on(isConstructor().and(takesArguments(5))));
    }

    public static final class CreatedAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(4) Object connection) {
            HttpServerHooks.get().headersRead(connection);
        }
    }
}
