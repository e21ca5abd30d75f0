package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The pool's check of a connection idle past its {@code validateAfterInactivity}, at a lease: a stale one is the
 * upstream's close, found before a request was sent on it.
 */
final class StaleCheckInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.hc.core5.http.impl.io.BHttpConnectionBase";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(StaleAdvice.class).on(named("isStale").and(takesArguments(0))));
    }

    public static final class StaleAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connection, @Advice.Return boolean stale) {
            if (stale) {
                ApacheClientHooks.get().stale(connection);
            }
        }
    }
}
