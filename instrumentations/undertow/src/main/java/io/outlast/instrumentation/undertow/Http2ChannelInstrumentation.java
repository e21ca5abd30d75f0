package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Undertow's idle close of an HTTP/2 channel sends a GOAWAY, and {@code sendGoAway} then closes the channel as soon as
 * the GOAWAY is written (its close 2 s later is only a fallback): a stream the proxy sent meanwhile meets a reset. For
 * the agent's idle, the close within {@code sendGoAway} is skipped and the fallback's 2 s hold.
 */
final class Http2ChannelInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.undertow.protocols.http2.Http2Channel";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(SendGoAwayAdvice.class).on(named("sendGoAway").and(takesArguments(2))));
    }

    public static final class SendGoAwayAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object channel) {
            UndertowHooks.get().sendingGoAway(channel);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit() {
            UndertowHooks.get().sentGoAway();
        }
    }
}
