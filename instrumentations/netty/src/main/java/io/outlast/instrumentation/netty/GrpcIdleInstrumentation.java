package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.NettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * gRPC's own idle limit ({@code maxConnectionIdle}, none by default), made per connection by its Netty server
 * handler where the application set one: the agent's idle replaces it, so that it cannot close first. gRPC's
 * close on it is its graceful one (GOAWAY, PING, GOAWAY), counted from the connection's last stream.
 */
final class GrpcIdleInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.grpc.internal.MaxConnectionIdleManager";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ConstructorAdvice.class).on(isConstructor().and(takesArguments(2))
                .and(takesArgument(0, long.class))));
    }

    public static final class ConstructorAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(value = 0, readOnly = false) long maxConnectionIdleNanos) {
            maxConnectionIdleNanos = NettyHooks.get().grpcIdleNanos(maxConnectionIdleNanos);
        }
    }
}
