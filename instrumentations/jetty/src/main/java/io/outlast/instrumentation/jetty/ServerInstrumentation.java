package io.outlast.instrumentation.jetty;

import io.outlast.bootstrap.JettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A server's stop, held while its connections drain ({@code drain=}), before Jetty closes them. */
final class ServerInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.eclipse.jetty.server.Server";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(StopAdvice.class).on(named("doStop").and(takesArguments(0))));
    }

    public static final class StopAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object server) {
            JettyHooks.get().serverStopping(server);
        }
    }
}
