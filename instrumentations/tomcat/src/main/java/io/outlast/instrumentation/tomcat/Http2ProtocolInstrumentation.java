package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * HTTP/2's own keep-alive (20 s by default, whatever the HTTP/1.1 connector says), read each time a connection's
 * last stream ends: the agent's idle replaces it.
 */
final class Http2ProtocolInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.coyote.http2.Http2Protocol";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(KeepAliveAdvice.class).on(named("getKeepAliveTimeout").and(takesArguments(0))));
    }

    public static final class KeepAliveAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object protocol, @Advice.Return(readOnly = false) long keepAlive) {
            keepAlive = TomcatHooks.get().h2KeepAlive(protocol, keepAlive);
        }
    }
}
