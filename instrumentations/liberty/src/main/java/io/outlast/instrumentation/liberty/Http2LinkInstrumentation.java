package io.outlast.instrumentation.liberty;

import io.outlast.bootstrap.LibertyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** Liberty's HTTP/2 connection's link, asked to close without an error after each stream's end. */
final class Http2LinkInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "com.ibm.ws.http.channel.h2internal.H2InboundLink";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(StreamEndedAdvice.class).on(named("close").and(takesArguments(2))
                .and(takesArgument(1, Exception.class))));
    }

    public static final class StreamEndedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object link, @Advice.FieldValue("initialVC") Object connection,
                                 @Advice.Argument(1) Exception error) {
            if (error == null) {
                LibertyHooks.get().h2StreamEnded(link, connection);
            }
        }
    }
}
