package io.outlast.instrumentation.ktor;

import io.outlast.bootstrap.KtorHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * CIO's request parser, a suspending function: entered when the reader begins to wait for a head and again at each
 * resume; it returns the head, or null at the end of the input, from the call that completes it.
 */
final class ParserInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.ktor.http.cio.HttpParserKt";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ParseAdvice.class).on(named("parseRequest").and(takesArguments(2))))
                .visit(Advice.to(HeadersAdvice.class).on(named("parseHeaders").and(takesArguments(4))));
    }

    public static final class ParseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object input, @Advice.Argument(1) Object continuation) {
            if (input != null) {
                KtorHooks.get().parsing(input, continuation);
            }
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Argument(0) Object input, @Advice.Argument(1) Object continuation,
                                @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
                                @Advice.Thrown Throwable thrown) {
            if (input != null) {
                KtorHooks.get().parsed(input, result, thrown);
            } else {
                KtorHooks.get().resumedParse(continuation, result, thrown);
            }
        }
    }

    /** The request line read: its headers follow (a resume passes no input, and is not a beginning). */
    public static final class HeadersAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object input) {
            if (input != null) {
                KtorHooks.get().headersBegun(input);
            }
        }
    }
}
