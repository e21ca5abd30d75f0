package io.outlast.instrumentation.liberty;

import io.outlast.bootstrap.LibertyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import java.io.IOException;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * An HTTP/2 connection's read of frames failing: a timeout that is not yet the connection's idle reads on instead of
 * Liberty's GOAWAY and close.
 */
final class Http2ReadFailureInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "com.ibm.ws.http.channel.h2internal.H2MuxTCPReadCallback";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ReadFailedAdvice.class).on(named("error").and(takesArguments(3))
                .and(takesArgument(1, named("com.ibm.wsspi.tcpchannel.TCPReadRequestContext")))
                .and(takesArgument(2, IOException.class))));
    }

    /** Skips Liberty's handling where the hook read on instead. */
    public static final class ReadFailedAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static boolean enter(@Advice.FieldValue("connLink") Object link, @Advice.Argument(0) Object connection,
                                    @Advice.Argument(1) Object readContext, @Advice.Argument(2) IOException failure) {
            return LibertyHooks.get().h2ReadFailed(link, connection, readContext, failure);
        }
    }
}
