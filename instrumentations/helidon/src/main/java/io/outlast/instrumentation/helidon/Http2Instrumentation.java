package io.outlast.instrumentation.helidon;

import io.outlast.bootstrap.HelidonHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A connection that speaks HTTP/2 from now on: chosen by its preface or ALPN (the selector), or by an Upgrade. Where
 * it is made, not in {@code Http2Connection}, which holds the connection's frame loop.
 */
final class Http2Instrumentation {
    private Http2Instrumentation() {
    }

    static final class Selector implements TypeInstrumentation {
        @Override
        public String typeName() {
            return "io.helidon.webserver.http2.Http2ConnectionSelector";
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
            return builder.visit(Advice.to(ChosenAdvice.class).on(named("connection").and(takesArguments(1))));
        }
    }

    static final class Upgrader implements TypeInstrumentation {
        @Override
        public String typeName() {
            return "io.helidon.webserver.http2.Http2Upgrader";
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
            return builder.visit(Advice.to(ChosenAdvice.class).on(named("upgrade").and(takesArguments(3))));
        }
    }

    public static final class ChosenAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) Object handler) {
            HelidonHooks.get().http2(handler);
        }
    }
}
