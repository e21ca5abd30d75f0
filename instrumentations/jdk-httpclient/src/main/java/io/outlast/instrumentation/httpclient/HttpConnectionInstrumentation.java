package io.outlast.instrumentation.httpclient;

import io.outlast.bootstrap.JdkClientHooks;
import io.outlast.family.NamedTypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A connection's response ended ({@code closeOrReturnToCache(headers)}, before it goes back to the pool: its
 * {@code Keep-Alive: timeout=}, which the client does not read), and its close (a TLS connection's first, then its
 * plain one's, which is not found again).
 */
final class HttpConnectionInstrumentation extends NamedTypeInstrumentation {
    HttpConnectionInstrumentation() {
        this("jdk.internal.net.http.HttpConnection");
    }

    private HttpConnectionInstrumentation(String typeName) {
        super(typeName);
    }

    /** The close of a concrete connection class ({@code HttpConnection.close()} is abstract). */
    static NamedTypeInstrumentation closeOf(String typeName) {
        return new HttpConnectionInstrumentation(typeName);
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        if (typeName().equals("jdk.internal.net.http.HttpConnection")) {
            return builder.visit(Advice.to(ResponseEndAdvice.class).on(named("closeOrReturnToCache").and(takesArguments(1))));
        }
        return builder.visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(0))));
    }

    public static final class ResponseEndAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection, @Advice.Argument(0) Object headers) {
            if (headers != null) {
                JdkClientHooks.get().headers(connection, headers);
            }
        }
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection) {
            JdkClientHooks.get().closing(connection, null);
        }
    }
}
