package io.outlast.instrumentation.grizzly;

import io.outlast.bootstrap.GrizzlyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** The idle check's close of a connection whose deadline passed. */
final class IdleCloseInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.glassfish.grizzly.utils.IdleTimeoutFilter$DefaultWorker";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(DoWorkAdvice.class)
                .on(named("doWork").and(takesArguments(1)).and(not(isBridge()))));
    }

    public static final class DoWorkAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object connection) {
            GrizzlyHooks.get().idleExpired(connection);
        }
    }
}
