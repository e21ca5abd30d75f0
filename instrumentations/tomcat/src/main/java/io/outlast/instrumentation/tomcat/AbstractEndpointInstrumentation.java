package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** An endpoint starting (where the agent meets it at JVM start), and stopping (where a drain holds it). */
final class AbstractEndpointInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.tomcat.util.net.AbstractEndpoint";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(StartAdvice.class).on(named("start").and(takesArguments(0))))
                .visit(Advice.to(StopAdvice.class).on(named("pause").or(named("stop")).and(takesArguments(0))));
    }

    public static final class StartAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object endpoint) {
            TomcatHooks.get().endpointStarted(endpoint);
        }
    }

    public static final class StopAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object endpoint) {
            TomcatHooks.get().endpointStopping(endpoint);
        }
    }
}
