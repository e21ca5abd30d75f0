package io.outlast.instrumentation.jetty;

import io.outlast.bootstrap.JettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** Who starts a close: idle expiry, the peer's FIN (or, over TLS, its close_notify), or a failure. */
final class AbstractEndPointInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.eclipse.jetty.io.AbstractEndPoint";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(IdleExpiredAdvice.class).on(named("onIdleExpired").and(takesArguments(1))))
                .visit(Advice.to(InputShutdownAdvice.class).on(named("shutdownInput").and(takesArguments(0))))
                .visit(Advice.to(OutputShutdownAdvice.class).on(named("shutdownOutput").and(takesArguments(0))))
                .visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(1))
                        .and(takesArgument(0, Throwable.class))));
    }

    public static final class IdleExpiredAdvice {
        /** Jetty resets the idle time once expiry is handled: read it on the way in. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static long enter(@Advice.This Object endPoint) {
            return JettyHooks.get().idleExpiring(endPoint);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.This Object endPoint, @Advice.Enter long idleMs) {
            JettyHooks.get().idleExpired(endPoint, idleMs);
        }
    }

    public static final class InputShutdownAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object endPoint) {
            JettyHooks.get().inputShutdown(endPoint);
        }
    }

    public static final class OutputShutdownAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object endPoint) {
            JettyHooks.get().outputShutdown(endPoint);
        }
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object endPoint, @Advice.Argument(0) Throwable cause) {
            JettyHooks.get().closing(endPoint, cause);
        }
    }
}
