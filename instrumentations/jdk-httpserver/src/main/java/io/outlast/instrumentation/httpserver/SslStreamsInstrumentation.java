package io.outlast.instrumentation.httpserver;

import io.outlast.bootstrap.HttpServerHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * An HTTPS connection's first exchange does its handshake, then waits for the request: the handshake's end
 * is where the wait becomes idle, the first decrypted bytes where the request's header begins.
 */
final class SslStreamsInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.net.httpserver.SSLStreams";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(HandshakeAdvice.class).on(named("doHandshake").and(takesArguments(1))))
                .visit(Advice.to(ReadAdvice.class).on(named("recvData").and(takesArguments(1))));
    }

    public static final class HandshakeAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit() {
            HttpServerHooks.get().handshakeDone();
        }
    }

    public static final class ReadAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit() {
            HttpServerHooks.get().tlsDataRead();
        }
    }
}
