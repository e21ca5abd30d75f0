package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import org.apache.tomcat.util.net.NioEndpoint;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A request completed (called once per request, the last one included): requests, and the idle clock, where
 * Tomcat does not keep them itself.
 */
final class Http11InputBufferInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.coyote.http11.Http11InputBuffer";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(NextRequestAdvice.class).on(named("nextRequest").and(takesArguments(0))));
    }

    public static final class NextRequestAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("wrapper") Object socketWrapper) {
            // a NIO connection's requests and last write are Tomcat's own, read at its close: no lookup per request
            if (!(socketWrapper instanceof NioEndpoint.NioSocketWrapper) || TomcatHooks.get().everyRequest()) {
                TomcatHooks.get().requestDone(socketWrapper);
            }
        }
    }
}
