package io.outlast.instrumentation.grizzly;

import io.outlast.bootstrap.GrizzlyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** The server's start: its listeners are reported then, not at their first connection. */
final class HttpServerInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.glassfish.grizzly.http.server.HttpServer";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(StartAdvice.class).on(named("start").and(takesArguments(0))));
    }

    public static final class StartAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object server) {
            GrizzlyHooks.get().started(server);
        }
    }
}
