package io.outlast.instrumentation.jettyclient;

import io.outlast.bootstrap.JettyClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A client started: where the family reads Jetty's version (the same class in every line). */
final class HttpClientInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.eclipse.jetty.client.HttpClient";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(StartAdvice.class).on(named("doStart").and(takesArguments(0))));
    }

    public static final class StartAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object client) {
            JettyClientHooks.get().poolMade(client);
        }
    }
}
