package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import java.io.IOException;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * HttpCore's client connection, which the pool's connection extends: an exchange that fails on it (a request written
 * onto a closed connection, a response that never comes: {@code NoHttpResponseException}). A hook only on a failure.
 */
final class ClientExchangeInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(FailureAdvice.class).on(namedOneOf("sendRequestHeader", "sendRequestEntity")
                        .and(takesArguments(1))))
                .visit(Advice.to(FailureAdvice.class).on(named("receiveResponseHeader").and(takesArguments(0))));
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
