package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import org.apache.http.conn.ManagedHttpClientConnection;

import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * HttpCore 4.4's connection base: its closes ({@code close}, and {@code shutdown}, the pool's abrupt one), and the
 * pool's stale check at a lease. Servers' connections pass here too: only the pool's are looked up.
 */
final class Client4ConnectionBaseInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.http.impl.BHttpConnectionBase";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(CloseAdvice.class).on(namedOneOf("close", "shutdown").and(takesArguments(0))))
                .visit(Advice.to(StaleCheckInstrumentation.StaleAdvice.class).on(named("isStale").and(takesArguments(0))));
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection) {
            if (connection instanceof ManagedHttpClientConnection) {
                ApacheClientHooks.get().closing(connection, ((ManagedHttpClientConnection) connection).getSocket());
            }
        }
    }
}
