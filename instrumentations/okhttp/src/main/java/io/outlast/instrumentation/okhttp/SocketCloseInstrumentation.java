package io.outlast.instrumentation.okhttp;

import io.outlast.bootstrap.OkHttpHooks;
import io.outlast.family.NamedTypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import java.net.Socket;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

/**
 * OkHttp closes a connection by its socket, from wherever it lets go of it (its pool's cleanup, a call's release,
 * a failure): every such close passes this utility. Sockets not pooled pass too; they are not found.
 */
final class SocketCloseInstrumentation extends NamedTypeInstrumentation {
    /** OkHttp 4's utility; 5's {@code closeQuietly(Socket)} is the same function in another file. */
    static final String OKHTTP_4 = "okhttp3.internal.Util";
    static final String OKHTTP_5 = "okhttp3.internal._UtilJvmKt";

    SocketCloseInstrumentation(String typeName) {
        super(typeName);
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CloseAdvice.class).on(named("closeQuietly").and(takesArgument(0, Socket.class))));
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object socket) {
            if (socket != null) {
                OkHttpHooks.get().closing(socket, socket);
            }
        }
    }
}
