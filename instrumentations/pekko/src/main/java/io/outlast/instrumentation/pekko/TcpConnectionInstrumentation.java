package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Pekko's TCP connection actor, where a connection's socket lives: registered (its addresses), the peer's end of
 * stream, and its end, whatever ended it (every close goes through {@code stopWith}, or at least {@code postStop}).
 */
final class TcpConnectionInstrumentation implements TypeInstrumentation {
    private final Lineage lineage;

    TcpConnectionInstrumentation(Lineage lineage) {
        this.lineage = lineage;
    }

    @Override
    public String typeName() {
        return lineage.type("io.TcpConnection");
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(ConnectedAdvice.class).on(named("completeConnect").and(takesArguments(3))))
                .visit(Advice.to(CloseAskedAdvice.class).on(named("handleClose").and(takesArguments(3))))
                .visit(Advice.to(StopWithAdvice.class).on(named("stopWith").and(takesArguments(2))))
                .visit(Advice.to(PostStopAdvice.class).on(named("postStop").and(takesArguments(0))));
    }

    /** On entry: the method tells the stream of the connection, which may materialize its graph before the exit. */
    public static final class ConnectedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object actor, @Advice.FieldValue("self") Object self,
                                @Advice.FieldValue("channel") Object channel) {
            PekkoHooks.get().tcpConnected(actor, self, channel);
        }
    }

    public static final class CloseAskedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("self") Object self, @Advice.Argument(2) Object closedEvent) {
            PekkoHooks.get().tcpCloseAsked(self, closedEvent);
        }
    }

    public static final class StopWithAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("self") Object self, @Advice.Argument(0) Object closeInformation) {
            PekkoHooks.get().tcpStopping(self, closeInformation);
        }
    }

    public static final class PostStopAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("self") Object self) {
            PekkoHooks.get().tcpStopped(self);
        }
    }
}
