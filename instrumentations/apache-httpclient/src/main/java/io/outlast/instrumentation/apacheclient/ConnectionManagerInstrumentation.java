package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.bootstrap.ClientPoolHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.apache.hc.core5.util.TimeValue;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The classic pool's manager: a connection released to the pool is kept for the keep-alive given (its expiry, checked
 * at the next lease), which the agent caps at the client idle; and the manager's own close, whose connections' closes
 * are the client's.
 */
final class ConnectionManagerInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(ReleaseAdvice.class).on(named("release").and(takesArguments(3))))
                .visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(1))));
    }

    /**
     * Once per request: the cap is read without a hook. A keep-alive that is not positive is the pool's "for ever";
     * null is "not reusable" and is left so. Parameters stay {@code Object}: the agent's loader cannot see HttpCore.
     */
    public static final class ReleaseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(value = 2, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object keepAlive) {
            long limitMs = ClientPoolHooks.clientIdleMs();
            if (limitMs >= 0 && keepAlive != null) {
                TimeValue given = (TimeValue) keepAlive;
                if (!TimeValue.isPositive(given) || given.toMilliseconds() > limitMs) {
                    keepAlive = TimeValue.ofMilliseconds(Math.max(1, limitMs));
                }
            }
        }
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter() {
            ApacheClientHooks.get().poolClosing(true);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit() {
            ApacheClientHooks.get().poolClosing(false);
        }
    }
}
