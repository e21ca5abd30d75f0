package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * An HTTPS listener with HTTP/2 enabled (WildFly's by default) accepts into ALPN's listener, which hands the
 * connection to HTTP/1.1 or HTTP/2 only once its handshake is done: a handshake that stops arriving has no timer.
 */
final class AlpnOpenListenerInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.undertow.server.protocol.http.AlpnOpenListener";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(HandleEventAdvice.class).on(named("handleEvent").and(takesArguments(1))
                .and(takesArgument(0, named("org.xnio.StreamConnection")))));
    }

    public static final class HandleEventAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object channel) {
            UndertowHooks.get().alpnOpened(channel);
        }
    }
}
