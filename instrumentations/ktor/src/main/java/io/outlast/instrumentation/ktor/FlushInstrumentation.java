package io.outlast.instrumentation.ktor;

import io.outlast.bootstrap.KtorHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A channel's flush: CIO's writer flushes a connection's output after each response, where its idle begins. */
final class FlushInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.ktor.utils.io.ByteChannel";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(FlushAdvice.class).on(named("flush").and(takesArguments(1))));
    }

    public static final class FlushAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object channel) {
            KtorHooks.get().flushing(channel);
        }
    }
}
