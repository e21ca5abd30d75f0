package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import org.apache.http.conn.ManagedHttpClientConnection;

import java.io.IOException;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * HttpCore 4.4's client connection, which HttpClient 4.5's pool connection extends: a request's head going out (its
 * count and the idle gap before it), and an exchange that fails on it ({@code NoHttpResponseException}, a reset).
 * HttpCore's own client connections pass here too: only the pool's are followed.
 */
final class Client4ExchangeInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.http.impl.DefaultBHttpClientConnection";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(RequestAdvice.class).on(named("sendRequestHeader").and(takesArguments(1))))
                .visit(Advice.to(FailureAdvice.class).on(named("sendRequestEntity").and(takesArguments(1))))
                .visit(Advice.to(FailureAdvice.class).on(named("receiveResponseHeader").and(takesArguments(0))));
    }

    public static final class RequestAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection) {
            if (connection instanceof ManagedHttpClientConnection) {
                ApacheClientHooks.get().requesting(connection);
            }
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = IOException.class)
        public static void exit(@Advice.This Object connection, @Advice.Thrown Throwable thrown) {
            if (thrown != null) {
                ApacheClientHooks.get().failed(connection, thrown);
            }
        }
    }

    public static final class FailureAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = IOException.class)
        public static void exit(@Advice.This Object connection, @Advice.Thrown Throwable thrown) {
            if (thrown != null) {
                ApacheClientHooks.get().failed(connection, thrown);
            }
        }
    }
}
