package io.outlast.instrumentation.helidon;

import io.outlast.bootstrap.HelidonHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * An HTTP/1.1 connection's requests: the wait for the next one, its headers read. Each on the connection's thread,
 * and each in a class of its own: not {@code Http1Connection}, which holds the connection's request loop.
 */
final class Http1Instrumentation {
    private Http1Instrumentation() {
    }

    /** The wait for a request's first line begins (after a response, or at the first request). */
    static final class Prologue implements TypeInstrumentation {
        @Override
        public String typeName() {
            return "io.helidon.webserver.http1.Http1Prologue";
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
            return builder.visit(Advice.to(ReadPrologueAdvice.class).on(named("readPrologue").and(takesArguments(0))));
        }
    }

    public static final class ReadPrologueAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("reader") Object reader) {
            HelidonHooks.get().awaitingRequest(reader);
        }
    }

    /** A request's headers are in (an upgrade's too: a WebSocket's frames are no header). */
    static final class Headers implements TypeInstrumentation {
        @Override
        public String typeName() {
            return "io.helidon.webserver.http1.Http1Headers";
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
            return builder.visit(Advice.to(ReadHeadersAdvice.class).on(named("readHeaders").and(takesArguments(1))));
        }
    }

    public static final class ReadHeadersAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.FieldValue("reader") Object reader) {
            HelidonHooks.get().headersRead(reader);
        }
    }
}
