package io.outlast.instrumentation.jetty;

import io.outlast.bootstrap.JettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Connections opening and closing, once per socket, connectors starting and stopping (Spring Boot stops them without
 * the server), and the idle their shutdown sets.
 */
final class AbstractConnectorInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.eclipse.jetty.server.AbstractConnector";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(StartAdvice.class).on(named("doStart").and(takesArguments(0))))
                .visit(Advice.to(StopAdvice.class).on(named("doStop").and(takesArguments(0))))
                .visit(Advice.to(OpenedAdvice.class).on(named("onEndPointOpened").and(takesArguments(1))))
                .visit(Advice.to(ClosedAdvice.class).on(named("onEndPointClosed").and(takesArguments(1))))
                .visit(Advice.to(ShutdownIdleAdvice.class).on(named("getShutdownIdleTimeout").and(takesArguments(0))));
    }

    public static final class StartAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connector) {
            JettyHooks.get().connectorStarted(connector);
        }
    }

    public static final class StopAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connector) {
            JettyHooks.get().connectorStopping(connector);
        }
    }

    public static final class OpenedAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connector, @Advice.Argument(0) Object endPoint) {
            JettyHooks.get().endPointOpened(connector, endPoint);
        }
    }

    public static final class ClosedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connector, @Advice.Argument(0) Object endPoint) {
            JettyHooks.get().endPointClosed(connector, endPoint);
        }
    }

    public static final class ShutdownIdleAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connector, @Advice.Return(readOnly = false) long ms) {
            ms = JettyHooks.get().shutdownIdleTimeout(connector, ms);
        }
    }
}
