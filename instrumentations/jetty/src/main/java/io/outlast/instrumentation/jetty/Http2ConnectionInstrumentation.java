package io.outlast.instrumentation.jetty;

import io.outlast.bootstrap.JettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;

/**
 * HTTP/2's idle expiry (no argument up to 11, the {@code TimeoutException} in 12). Jetty's own writes its GOAWAY and
 * closes the socket at once; the agent ends an idle connection gracefully instead, and Jetty's is skipped (it then
 * answers false: the end point is not closed by it).
 */
final class Http2ConnectionInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.eclipse.jetty.http2.HTTP2Connection";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(IdleExpiredAdvice.class).on(named("onIdleExpired").and(returns(boolean.class))));
    }

    public static final class IdleExpiredAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static boolean enter(@Advice.This Object connection) {
            return JettyHooks.get().h2IdleExpired(connection);
        }
    }
}
