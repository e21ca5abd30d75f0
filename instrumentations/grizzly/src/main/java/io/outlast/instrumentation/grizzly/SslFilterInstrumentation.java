package io.outlast.instrumentation.grizzly;

import io.outlast.bootstrap.GrizzlyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** The end of a TLS handshake: from then on the connection waits for its first request. */
final class SslFilterInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.glassfish.grizzly.ssl.SSLBaseFilter";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(HandshakeDoneAdvice.class)
                .on(named("notifyHandshakeComplete").and(takesArguments(2))));
    }

    public static final class HandshakeDoneAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) Object connection) {
            GrizzlyHooks.get().handshakeDone(connection);
        }
    }
}
