package io.outlast.instrumentation.helidon;

import io.outlast.bootstrap.HelidonHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Helidon's own idle check (a timer task per listener, every 2 min by default), made by the agent instead: the same
 * closes but of the connections whose idle the agent governs, each named an idle close. Left to Helidon where the
 * agent fails.
 */
final class IdleTimeoutHandlerInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.helidon.webserver.IdleTimeoutHandler";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(RunAdvice.class).on(named("run").and(takesArguments(0))));
    }

    public static final class RunAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static boolean enter(@Advice.FieldValue("connectionSupplier") Object connections,
                                    @Advice.FieldValue("timeout") Object timeout) {
            return HelidonHooks.get().ownIdleCheck(connections, timeout);
        }
    }
}
