package io.outlast.instrumentation.okhttp;

import io.outlast.bootstrap.OkHttpHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import okhttp3.internal.connection.RealConnection;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * OkHttp's pool: made (its version read), a connection put in it (made for a call, and pooled from then), one back in it after its call (idle
 * from then), and the pool emptied ({@code evictAll}: the client's own closes). Parameters stay {@code Object}: the
 * agent's loader cannot see OkHttp.
 */
final class ConnectionPoolInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "okhttp3.internal.connection.RealConnectionPool";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(MadeAdvice.class).on(isConstructor()))
                .visit(Advice.to(PutAdvice.class).on(named("put").and(takesArguments(1))))
                .visit(Advice.to(IdleAdvice.class).on(named("connectionBecameIdle").and(takesArguments(1))))
                .visit(Advice.to(EvictAllAdvice.class).on(named("evictAll").and(takesArguments(0))));
    }

    /** Where the family reads OkHttp's version, once. */
    public static final class MadeAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object pool) {
            OkHttpHooks.get().poolMade(pool);
        }
    }

    public static final class PutAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object connection) {
            Object socket = ((RealConnection) connection).socket();
            OkHttpHooks.get().opened(socket, socket);
        }
    }

    public static final class IdleAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object connection) {
            OkHttpHooks.get().passivated(((RealConnection) connection).socket());
        }
    }

    public static final class EvictAllAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter() {
            OkHttpHooks.get().poolClosing(true);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit() {
            OkHttpHooks.get().poolClosing(false);
        }
    }
}
