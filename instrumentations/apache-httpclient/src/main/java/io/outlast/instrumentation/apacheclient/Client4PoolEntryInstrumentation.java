package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.bootstrap.ClientPoolHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import org.apache.http.conn.ManagedHttpClientConnection;
import org.apache.http.pool.PoolEntry;

import java.util.concurrent.TimeUnit;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * HttpClient 4.5 (HttpCore 4.4): a pool entry's expiry, set when its connection goes back to the pool with the
 * keep-alive it is given (never, by default, unless the upstream announced one). The agent caps it at the client idle
 * (read without a hook) and marks the connection idle from then.
 */
final class Client4PoolEntryInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.http.pool.PoolEntry";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ExpiryAdvice.class).on(named("updateExpiry").and(takesArguments(2))));
    }

    public static final class ExpiryAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(value = 0, readOnly = false) long time,
                                 @Advice.Argument(value = 1, readOnly = false) TimeUnit unit) {
            long limitMs = ClientPoolHooks.clientIdleMs();
            if (limitMs >= 0 && unit != null && (time <= 0 || unit.toMillis(time) > limitMs)) {
                time = Math.max(1, limitMs);
                unit = TimeUnit.MILLISECONDS;
            }
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object entry) {
            Object connection = ((PoolEntry<?, ?>) entry).getConnection();
            // HttpCore's pools hold other connections too (its own client's, the async client's)
            if (connection instanceof ManagedHttpClientConnection) {
                ApacheClientHooks.get().passivated(connection);
            }
        }
    }
}
