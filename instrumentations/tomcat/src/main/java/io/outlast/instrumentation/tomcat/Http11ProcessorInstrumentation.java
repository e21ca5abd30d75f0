package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A response's headers about to be made: during a drain its connection is not kept alive, so the response says
 * {@code Connection: close} and Tomcat closes after it (9.0-11.0 keep that in {@code keepAlive}).
 */
final class Http11ProcessorInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.coyote.http11.Http11Processor";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ResponseAdvice.class).on(named("prepareResponse").and(takesArguments(0))));
    }

    public static final class ResponseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("socketWrapper") Object socketWrapper,
                                 @Advice.FieldValue(value = "keepAlive", readOnly = false) boolean keepAlive) {
            if (keepAlive && TomcatHooks.get().closeAfterResponse(socketWrapper)) {
                keepAlive = false;
            }
        }
    }
}
