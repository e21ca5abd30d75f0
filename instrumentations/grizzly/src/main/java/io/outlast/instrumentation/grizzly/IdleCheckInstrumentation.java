package io.outlast.instrumentation.grizzly;

import io.outlast.bootstrap.GrizzlyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * How the idle check reads a connection's deadline, every second for each: where an attach meets the connections
 * that already wait, with no activity to be seen at.
 */
final class IdleCheckInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.glassfish.grizzly.utils.IdleTimeoutFilter$Resolver";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(DeadlineAdvice.class)
                .on(named("getTimeoutMillis").and(takesArguments(1)).and(not(isBridge()))));
    }

    public static final class DeadlineAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) Object connection,
                                @Advice.Return(readOnly = false) long deadlineMillis) {
            deadlineMillis = GrizzlyHooks.get().deadline(connection, deadlineMillis);
        }
    }
}
