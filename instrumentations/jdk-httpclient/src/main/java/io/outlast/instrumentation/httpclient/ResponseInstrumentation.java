package io.outlast.instrumentation.httpclient;

import io.outlast.bootstrap.JdkClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * An HTTP/1.1 exchange whose reading failed ({@code Http1Response.onReadError}: its end of input, a reset): on a
 * connection handed out again after an idle gap, the race ({@code IOException: HTTP/1.1 header parser received no
 * bytes}).
 */
final class ResponseInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "jdk.internal.net.http.Http1Response";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ReadErrorAdvice.class).on(named("onReadError").and(takesArguments(1))));
    }

    public static final class ReadErrorAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("connection") Object connection, @Advice.Argument(0) Object failure) {
            if (failure instanceof Throwable) {
                JdkClientHooks.get().failed(connection, (Throwable) failure);
            }
        }
    }
}
