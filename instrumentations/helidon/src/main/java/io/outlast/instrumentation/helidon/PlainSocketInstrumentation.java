package io.outlast.instrumentation.helidon;

import io.outlast.bootstrap.HelidonHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Reads from the network where a listener is set not to use NIO ({@code use-nio: false}): its streams' sockets, with
 * the NIO socket's advice ({@code get()} has the same shape).
 */
final class PlainSocketInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.helidon.common.socket.PlainSocket";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(NioSocketInstrumentation.GetAdvice.class).on(named("get").and(takesArguments(0))));
    }
}
