package io.outlast.instrumentation.httpserver;

import io.outlast.bootstrap.HttpServerHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The server's idle check. Its interval is an argument here, for idle and newly accepted connections
 * alike: replacing it needs no change to the static finals the server computed at class initialisation.
 */
final class IdleTimeoutTaskInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.net.httpserver.ServerImpl$IdleTimeoutTask";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CloseConnectionsAdvice.class).on(named("closeConnections").and(takesArguments(2))));
    }

    public static final class CloseConnectionsAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("this$0") Object server,
                                 @Advice.Argument(value = 1, readOnly = false) long intervalMs) {
            intervalMs = HttpServerHooks.get().idleInterval(server, intervalMs);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit() {
            HttpServerHooks.get().idleSweepDone();
        }
    }
}
