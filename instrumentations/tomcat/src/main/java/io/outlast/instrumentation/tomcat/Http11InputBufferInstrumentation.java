package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import io.outlast.core.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A request completed (called once per request, the last one included): requests, and the idle clock. */
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
            TomcatHooks.get().requestDone(socketWrapper);
        }
    }
}
