package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import javax.net.ssl.SSLEngine;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A TLS handshake's end (timed as a header from the accept until then), and the server's close_notify: wrapped while
 * the peer's side is open, the close is the server's, though the peer's FIN that answers it may reach the TCP actor
 * before the stage asks it to close; wrapped after the peer's, the close is the peer's.
 */
final class TlsActorInstrumentation implements TypeInstrumentation {
    private final Lineage lineage;

    TlsActorInstrumentation(Lineage lineage) {
        this.lineage = lineage;
    }

    @Override
    public String typeName() {
        return lineage.type("stream.impl.io.TLSActor");
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(HandshakeAdvice.class).on(named("handshakeFinished").and(takesArguments(0))))
                .visit(Advice.to(WrapAdvice.class).on(named("doWrap").and(takesArguments(0))));
    }

    public static final class HandshakeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("self") Object self) {
            PekkoHooks.get().handshakeDone(self);
        }
    }


    /**
     * After each record wrapped: the close_notify is the one after which the engine's outbound is done. A peer's
     * close_notify read before it (a JDK client's TLS 1.3 close) makes the stage close the connection itself, so that
     * the TCP actor may never read the peer's FIN: the close is the peer's all the same.
     */
    public static final class WrapAdvice {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.FieldValue("self") Object self, @Advice.FieldValue("engine") SSLEngine engine) {
            if (engine.isOutboundDone()) {
                PekkoHooks.get().tlsClosing(self, engine.isInboundDone());
            }
        }
    }
}
