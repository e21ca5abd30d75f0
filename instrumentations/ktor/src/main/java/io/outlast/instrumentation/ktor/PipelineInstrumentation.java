package io.outlast.instrumentation.ktor;

import io.outlast.bootstrap.KtorHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A connection's response writer, whose every wait for the next response is CIO's idle. It is entered at the
 * connection's start and again at each of its resumes, so a connection open before an attach is met at its next one.
 * Kotlin names the function by its {@code Duration} parameter's mangling ({@code pipelineWriterLoop-dWUq8MI} in 3.x),
 * hence the prefix.
 */
final class PipelineInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.ktor.server.cio.backend.ServerPipelineKt";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(WriterLoopAdvice.class).on(nameStartsWith("pipelineWriterLoop")
                .and(takesArguments(4)).and(takesArgument(1, long.class))));
    }

    public static final class WriterLoopAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(value = 1, readOnly = false) long idle,
                                 @Advice.Argument(2) Object connection, @Advice.Argument(3) Object continuation) {
            idle = KtorHooks.get().writerLoop(connection, idle, continuation);
        }
    }
}
