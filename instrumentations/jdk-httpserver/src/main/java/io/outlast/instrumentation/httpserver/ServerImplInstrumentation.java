package io.outlast.instrumentation.httpserver;

import io.outlast.bootstrap.HttpServerHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** The server starting, and a connection's life in it: accepted, a request's first byte, a response done. */
final class ServerImplInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.net.httpserver.ServerImpl";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(StartAdvice.class).on(named("start").and(takesArguments(0))))
                .visit(Advice.to(AcceptedAdvice.class).on(named("markNewlyAccepted").and(takesArguments(1))))
                .visit(Advice.to(RequestStartedAdvice.class).on(named("requestStarted").and(takesArguments(1))))
                .visit(Advice.to(IdleAdvice.class).on(named("markIdle").and(takesArguments(1))))
                .visit(Advice.to(StopAdvice.class).on(named("stop").and(takesArguments(1))));
    }

    public static final class StartAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object server) {
            HttpServerHooks.get().started(server);
        }
    }

    public static final class AcceptedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object server, @Advice.Argument(0) Object connection) {
            HttpServerHooks.get().accepted(server, connection);
        }
    }

    public static final class RequestStartedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object server, @Advice.Argument(0) Object connection) {
            HttpServerHooks.get().requestStarted(server, connection);
        }
    }

    public static final class IdleAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object server, @Advice.Argument(0) Object connection) {
            HttpServerHooks.get().idle(server, connection);
        }
    }

    public static final class StopAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object server) {
            HttpServerHooks.get().stopping(server);
        }
    }
}
