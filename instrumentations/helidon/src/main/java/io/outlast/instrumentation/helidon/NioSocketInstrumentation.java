package io.outlast.instrumentation.helidon;

import io.outlast.bootstrap.HelidonHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import java.nio.ByteBuffer;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Reads from the network (Helidon's default sockets): plain text through {@code get()}, TLS records through
 * {@code read(ByteBuffer)}, which {@code TlsNioSocket} inherits. Each returns once bytes arrived: the first after a
 * wait is a request's (or a handshake's) first byte.
 */
final class NioSocketInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.helidon.common.socket.NioSocket";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(GetAdvice.class).on(named("get").and(takesArguments(0))))
                .visit(Advice.to(ReadAdvice.class).on(named("read").and(takesArguments(ByteBuffer.class))));
    }

    public static final class GetAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Return byte[] bytes, @Advice.Thrown Throwable thrown) {
            HelidonHooks hooks = HelidonHooks.get();
            hooks.read(bytes == null ? -1 : bytes.length, thrown);
            if (bytes != null) {
                hooks.received(bytes);
            }
        }
    }

    public static final class ReadAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Return int bytes, @Advice.Thrown Throwable thrown) {
            HelidonHooks.get().read(bytes, thrown);
        }
    }
}
