package io.outlast.instrumentation.helidon;

import io.outlast.bootstrap.HelidonHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A server started: its listeners (one per socket) are bound, and met at once, not at their first connection. Not
 * the listener's own class, which holds its accepting thread's loop (docs/design.md: a retransformed loop is never
 * compiled again).
 */
final class LoomServerInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.helidon.webserver.LoomServer";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(StartAdvice.class).on(named("start").and(takesArguments(0))));
    }

    public static final class StartAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.FieldValue("listeners") Object listeners) {
            HelidonHooks.get().listening(listeners);
        }
    }
}
