package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The pool's connection (package-private, final; reached through its public interface): bound to its socket, a
 * request's head sent (from the client's own hook for it, a no-op unless its header log is on), back in its pool
 * ({@code passivate}), closed.
 */
final class ManagedConnectionInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.hc.client5.http.impl.io.DefaultManagedHttpClientConnection";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(BindAdvice.class).on(named("bind")))
                .visit(Advice.to(RequestAdvice.class).on(named("onRequestSubmitted").and(takesArguments(1))))
                .visit(Advice.to(PassivateAdvice.class).on(named("passivate").and(takesArguments(0))))
                .visit(Advice.to(CloseAdvice.class).on(named("close")));
    }

    public static final class BindAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connection) {
            ApacheClientHooks.get().opened(connection, ((ManagedHttpClientConnection) connection).getSocket());
        }
    }

    public static final class RequestAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection) {
            ApacheClientHooks.get().requesting(connection);
        }
    }

    public static final class PassivateAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connection) {
            ApacheClientHooks.get().passivated(connection);
        }
    }

    /** Both closes, each guarded by the connection's own flag; the hook's registry makes the event once. */
    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection) {
            ApacheClientHooks.get().closing(connection, ((ManagedHttpClientConnection) connection).getSocket());
        }
    }
}
