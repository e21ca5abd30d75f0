package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A TLS handshake's end: timed as a header from the accept until then. */
final class TlsActorInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.pekko.stream.impl.io.TLSActor";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(HandshakeAdvice.class).on(named("handshakeFinished").and(takesArguments(0))));
    }

    public static final class HandshakeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("self") Object self) {
            PekkoHooks.get().handshakeDone(self);
        }
    }
}
