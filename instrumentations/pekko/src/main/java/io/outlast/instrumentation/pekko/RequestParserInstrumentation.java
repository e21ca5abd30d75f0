package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Pekko HTTP's request parser, one per server connection (HTTP/1.1): the bytes of a request arriving, and what it
 * makes of them (a request's start once its headers are in, a streamed body's end), each output as the logic hands it
 * on. Not its {@code parseSessionBytes} or {@code emit}: Scala calls those of its trait statically, past the class.
 */
final class RequestParserInstrumentation implements TypeInstrumentation {
    private final Lineage lineage;

    RequestParserInstrumentation(Lineage lineage) {
        this.lineage = lineage;
    }

    @Override
    public String typeName() {
        return lineage.type("http.impl.engine.parsing.HttpRequestParser$$anon$1");
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(MadeAdvice.class).on(isConstructor()))
                .visit(Advice.to(BytesAdvice.class).on(named("onPush").and(takesArguments(0))))
                .visit(Advice.to(OutputAdvice.class).on(named("handleParserOutput").and(takesArguments(1))));
    }

    public static final class MadeAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object parser) {
            PekkoHooks.get().parserMade(parser);
        }
    }

    public static final class BytesAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object parser) {
            PekkoHooks.get().requestBytes(parser);
        }
    }

    public static final class OutputAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object parser, @Advice.Argument(0) Object output) {
            PekkoHooks.get().parsed(parser, output);
        }
    }
}
