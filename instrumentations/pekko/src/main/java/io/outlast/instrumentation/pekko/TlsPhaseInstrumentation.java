package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A TLS stage is an actor of its own, started in its graph's materialization: which connection's it is. The phase keeps
 * it in a field Pekko's Scala mangled and Akka's did not: read by the hooks.
 */
final class TlsPhaseInstrumentation implements TypeInstrumentation {
    private final Lineage lineage;

    TlsPhaseInstrumentation(Lineage lineage) {
        this.lineage = lineage;
    }

    @Override
    public String typeName() {
        return lineage.type("stream.impl.TlsModulePhase");
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(MadeAdvice.class).on(named("materializeAtomic").and(takesArguments(2))));
    }

    public static final class MadeAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object phase) {
            PekkoHooks.get().tlsMade(phase);
        }
    }
}
