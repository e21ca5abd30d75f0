package io.outlast.instrumentation.httpclient;

import io.outlast.bootstrap.ClientPoolHooks;
import io.outlast.bootstrap.JdkClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.io.Closeable;
import java.io.IOException;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The client's pool (Java 17's and 25's alike). A connection back in it is kept for a keep-alive in whole seconds
 * ({@code jdk.httpclient.keepalive.timeout}: 1200 s on 17, 30 s on 21 and later) and purged by the client's selector
 * thread when that expires: the agent shortens it to the limit in force (rounded down). Also followed: a connection
 * handed out again (a request on it, after its idle gap), one the upstream closed while it sat in the pool
 * ({@code cleanup}: its end of input, or data it did not ask for), and the pool's stop (the client's own closes).
 * Parameters stay {@code Object}: the agent's bytecode cannot name the JDK's internal types.
 */
final class ConnectionPoolInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "jdk.internal.net.http.ConnectionPool";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(ReturnAdvice.class).on(named("returnToPool").and(takesArguments(3))))
                .visit(Advice.to(ReuseAdvice.class).on(named("getConnection").and(takesArguments(3))))
                .visit(Advice.to(CleanupAdvice.class).on(named("cleanup")))
                .visit(Advice.to(StopAdvice.class).on(named("stop").and(takesArguments(0))));
    }

    public static final class ReturnAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object connection,
                                 @Advice.Argument(value = 2, readOnly = false) long keepAliveSeconds) {
            JdkClientHooks.get().passivated(connection);
            if (ClientPoolHooks.retireFloorMs() >= 0) {
                keepAliveSeconds = JdkClientHooks.get().keepAliveMs(connection, keepAliveSeconds * 1000) / 1000;
            }
        }
    }

    /**
     * The pool hands out its first connection for the address without looking at its expiry, which only the selector
     * thread's purge acts on, when that thread next wakes (a connection returned does not wake it): one idle past its
     * limit is closed here instead, and the caller opens a new one (as for an empty pool). The close is the pool's
     * own kind (on Java 17 under the pool's monitor, as its close of a connection returned to a stopped pool).
     */
    public static final class ReuseAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object connection) {
            if (connection == null) {
                return;
            }
            if (ClientPoolHooks.retireFloorMs() >= 0 && JdkClientHooks.get().retiresIdle(connection)) {
                Closeable retired = (Closeable) connection;
                connection = null;
                try {
                    retired.close();
                } catch (IOException e) {
                    // closed as the pool's own close would leave it
                }
            } else {
                JdkClientHooks.get().requesting(connection);
            }
        }
    }

    public static final class CleanupAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object connection) {
            JdkClientHooks.get().stale(connection);
        }
    }

    public static final class StopAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter() {
            JdkClientHooks.get().poolClosing(true);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit() {
            JdkClientHooks.get().poolClosing(false);
        }
    }
}
