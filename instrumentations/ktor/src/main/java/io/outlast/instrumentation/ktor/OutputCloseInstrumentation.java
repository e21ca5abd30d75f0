package io.outlast.instrumentation.ktor;

import io.outlast.bootstrap.KtorHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The close of a write channel: CIO's writer closes a connection's output when its idle ends (the reader still
 * waiting for a head) or after the reader ended (the peer's end, or the last request's). Called for every channel
 * Ktor closes: the hook looks the channel up once.
 */
final class OutputCloseInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.ktor.utils.io.ByteWriteChannelOperationsKt";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(2))));
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object output, @Advice.Argument(1) Throwable cause) {
            KtorHooks.get().outputClosing(output, cause);
        }
    }
}
