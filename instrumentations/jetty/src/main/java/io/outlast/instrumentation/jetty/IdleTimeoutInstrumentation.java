package io.outlast.instrumentation.jetty;

import io.outlast.bootstrap.JettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The idle timer of every endpoint. After an attach, a connection opened before it is first seen
 * here, when its old timer fires: the new timeout is put in force before Jetty compares against it.
 */
final class IdleTimeoutInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.eclipse.jetty.io.IdleTimeout";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CheckAdvice.class).on(named("checkIdleTimeout").and(takesArguments(0))));
    }

    public static final class CheckAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object idleTimeout) {
            JettyHooks.get().idleCheck(idleTimeout);
        }
    }
}
