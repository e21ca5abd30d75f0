package io.outlast.instrumentation.liberty;

import io.outlast.bootstrap.LibertyHooks;
import io.outlast.family.NamedTypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Every asynchronous read of a connection, with the timeout its caller gives it: of Liberty's TCP channel, and of its
 * SSL channel (a TLS connection's HTTP reads, which pass their timeout on to the TCP read under them).
 */
final class ReadInstrumentation extends NamedTypeInstrumentation {
    static final String TCP = "com.ibm.ws.tcpchannel.internal.TCPReadRequestContextImpl";
    static final String SSL = "com.ibm.ws.channel.ssl.internal.SSLReadServiceContext";

    ReadInstrumentation(String context) {
        super(context);
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ReadAdvice.class).on(named("read").and(takesArguments(4))
                .and(takesArgument(0, long.class)).and(takesArgument(2, boolean.class)).and(takesArgument(3, int.class))));
    }

    public static final class ReadAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object context, @Advice.Argument(1) Object callback,
                                 @Advice.Argument(2) boolean forceQueue,
                                 @Advice.Argument(value = 3, readOnly = false) int timeout) {
            timeout = LibertyHooks.get().reading(context, callback, forceQueue, timeout);
        }
    }
}
