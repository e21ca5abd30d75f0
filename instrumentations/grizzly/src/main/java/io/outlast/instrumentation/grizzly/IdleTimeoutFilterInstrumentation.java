package io.outlast.instrumentation.grizzly;

import io.outlast.bootstrap.GrizzlyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** The filter that times a connection's idle: where an HTTP listener's connection is first seen. */
final class IdleTimeoutFilterInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.glassfish.grizzly.utils.IdleTimeoutFilter";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(AcceptAdvice.class).on(named("handleAccept").and(takesArguments(1))));
    }

    public static final class AcceptAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object filter, @Advice.Argument(0) Object context) {
            GrizzlyHooks.get().accepted(filter,
                    ((org.glassfish.grizzly.filterchain.FilterChainContext) context).getConnection());
        }
    }
}
