package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import io.outlast.core.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** Every close of a connection (9.0.21+ route all of them through here). */
final class SocketWrapperBaseInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.tomcat.util.net.SocketWrapperBase";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(0))));
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object socketWrapper) {
            TomcatHooks.get().closing(socketWrapper);
        }
    }
}
