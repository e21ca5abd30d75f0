package io.outlast.instrumentation.httpserver;

import io.outlast.bootstrap.HttpServerHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * An exchange is made once a request's headers are read: the end of the header deadline. Its response's headers:
 * during a drain, {@code Connection: close}, and the connection closed after it.
 */
final class ExchangeImplInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.net.httpserver.ExchangeImpl";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CreatedAdvice.class).on(isConstructor().and(takesArguments(5))))
                .visit(Advice.to(ResponseAdvice.class).on(named("sendResponseHeaders").and(takesArguments(2))));
    }

    public static final class CreatedAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(4) Object connection) {
            HttpServerHooks.get().headersRead(connection);
        }
    }

    public static final class ResponseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("connection") Object connection,
                                 @Advice.FieldValue("rspHdrs") Object headers,
                                 @Advice.FieldValue(value = "close", readOnly = false) boolean close) {
            if (!close && HttpServerHooks.get().closeAfterResponse(connection, headers)) {
                close = true;
            }
        }
    }
}
