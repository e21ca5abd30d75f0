package io.outlast.instrumentation.helidon;

import io.outlast.bootstrap.HelidonHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A TLS handshake, done inside the first read: once it is over, the wait for the first request is idle. And the
 * decrypted reads: the peer's {@code close_notify} ends them with nothing, where the network read had bytes.
 */
final class TlsNioSocketInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.helidon.common.socket.TlsNioSocket";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(HandshakeAdvice.class).on(named("doHandshake").and(takesArguments(1))))
                .visit(Advice.to(GetAdvice.class).on(named("get").and(takesArguments(0))));
    }

    public static final class HandshakeAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.FieldValue("unwrapRemaining") int bytesAfter) {
            HelidonHooks.get().handshakeDone(bytesAfter);
        }
    }

    public static final class GetAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Return byte[] bytes) {
            if (bytes == null || bytes.length == 0) {
                HelidonHooks.get().read(-1, null);
            } else {
                HelidonHooks.get().received(bytes);
            }
        }
    }
}
