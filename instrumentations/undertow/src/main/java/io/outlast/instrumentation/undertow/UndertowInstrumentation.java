package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** The server starting (its listeners, reported) and stopping (its closes are shutdown closes). */
final class UndertowInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.undertow.Undertow";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(StartAdvice.class).on(named("start").and(takesArguments(0))))
                .visit(Advice.to(StopAdvice.class).on(named("stop").and(takesArguments(0))));
    }

    public static final class StartAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object undertow) {
            UndertowHooks.get().started(undertow);
        }
    }

    public static final class StopAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object undertow) {
            UndertowHooks.get().stopping(undertow);
        }
    }
}
