package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import org.apache.tomcat.util.net.NioEndpoint;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import java.nio.ByteBuffer;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Reads that fail (Tomcat throws EOFException for the peer's FIN and does not keep it in getError()), and the
 * poller's timeout pass, which reads each waiting connection's last read: after an attach, the connections
 * open already are met there, within a second and before the pass reads their timeout. Not the poller
 * itself: a class retransformed while a thread runs its loop keeps that loop interpreted for good (see
 * docs/design.md).
 */
final class NioSocketWrapperInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.tomcat.util.net.NioEndpoint$NioSocketWrapper";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(FillAdvice.class).on(named("fillReadBuffer")
                        .and(takesArguments(boolean.class, ByteBuffer.class))))
                .visit(Advice.to(LastReadAdvice.class).on(named("getLastRead").and(takesArguments(0))));
    }

    public static final class FillAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.This Object socketWrapper, @Advice.Thrown Throwable thrown) {
            if (thrown != null) {
                TomcatHooks.get().readFailed(socketWrapper, thrown,
                        ((NioEndpoint.NioSocketWrapper) socketWrapper).getLastWrite());
            }
        }
    }

    public static final class LastReadAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object socketWrapper) {
            TomcatHooks.get().timeoutCheck(socketWrapper);
        }
    }
}
