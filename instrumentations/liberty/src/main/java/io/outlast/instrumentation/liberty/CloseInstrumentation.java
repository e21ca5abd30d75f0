package io.outlast.instrumentation.liberty;

import io.outlast.bootstrap.LibertyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A TCP connection's close, where every end of one passes, whoever asked for it. */
final class CloseInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "com.ibm.ws.tcpchannel.internal.TCPConnLink";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(2))
                .and(takesArgument(1, Exception.class))));
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object tcpConnection, @Advice.Argument(0) Object connection,
                                 @Advice.Argument(1) Exception cause) {
            LibertyHooks.get().closing(tcpConnection, connection, cause);
        }
    }
}
