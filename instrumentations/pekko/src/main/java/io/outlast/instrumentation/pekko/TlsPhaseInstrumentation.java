package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A TLS stage is an actor of its own, started in its graph's materialization: which connection's it is. */
final class TlsPhaseInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.pekko.stream.impl.TlsModulePhase";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(MadeAdvice.class).on(named("materializeAtomic").and(takesArguments(2))));
    }

    public static final class MadeAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(
                @Advice.FieldValue("org$apache$pekko$stream$impl$TlsModulePhase$$tlsActor") Object tlsActor) {
            PekkoHooks.get().tlsMade(tlsActor);
        }
    }
}
