package io.outlast.instrumentation.reactorclient;

import io.outlast.bootstrap.ReactorClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import reactor.netty.Connection;

import java.io.IOException;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * An exchange's inbound failure: a reset where the request reached a socket its upstream had closed is the race as a
 * close before the response is ({@link ClientOperationsInstrumentation}). Servers' exchanges pass here too; the hook
 * leaves all but a client's alone.
 */
final class ChannelOperationsInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "reactor.netty.channel.ChannelOperations";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ErrorAdvice.class).on(named("onInboundError").and(takesArguments(1))));
    }

    public static final class ErrorAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object ops, @Advice.Argument(0) Throwable error) {
            if (error instanceof IOException) {
                ReactorClientHooks.get().inboundClosed(((Connection) ops).channel(), ops);
            }
        }
    }
}
