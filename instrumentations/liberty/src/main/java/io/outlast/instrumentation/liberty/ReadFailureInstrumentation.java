package io.outlast.instrumentation.liberty;

import io.outlast.bootstrap.LibertyHooks;
import io.outlast.family.NamedTypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import java.io.IOException;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A read callback told of its read's failure: a timeout (a wait's or a head's), the peer's end, an error. */
final class ReadFailureInstrumentation extends NamedTypeInstrumentation {
    ReadFailureInstrumentation(String callback) {
        super(callback);
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        // a read's: the handshake's callback is told of its writes' failures too
        return builder.visit(Advice.to(ErrorAdvice.class).on(named("error").and(takesArguments(3))
                .and(takesArgument(1, named("com.ibm.wsspi.tcpchannel.TCPReadRequestContext")))
                .and(takesArgument(2, IOException.class))));
    }

    public static final class ErrorAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object connection, @Advice.Argument(2) IOException failure) {
            LibertyHooks.get().readFailed(connection, failure);
        }
    }
}
