package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A stream's materialization: every stage of a server connection's graph (its TCP stage, its request parser, its TLS
 * actor, its idle stage) is made within one, which is how the agent learns they belong together.
 */
final class MaterializerInstrumentation implements TypeInstrumentation {
    private final Lineage lineage;

    MaterializerInstrumentation(Lineage lineage) {
        this.lineage = lineage;
    }

    @Override
    public String typeName() {
        return lineage.type("stream.impl.PhasedFusingActorMaterializer");
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        // the four-argument form, which the others call
        return builder.visit(Advice.to(MaterializeAdvice.class).on(named("materialize").and(takesArguments(4))));
    }

    public static final class MaterializeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Object enter() {
            return PekkoHooks.get().materializing();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter Object enclosing) {
            PekkoHooks.get().materialized(enclosing);
        }
    }
}
