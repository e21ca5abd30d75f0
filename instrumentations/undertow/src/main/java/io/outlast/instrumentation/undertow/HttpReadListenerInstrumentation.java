package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Reading requests: the timer where Undertow would make none, the peer's FIN (a read of -1), and closes
 * the reading thread makes (failures).
 */
final class HttpReadListenerInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.undertow.server.protocol.http.HttpReadListener";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(CreatedAdvice.class).on(isConstructor()))
                .visit(Advice.to(HandleEventAdvice.class).on(named("handleEvent").and(takesArguments(1))))
                .visit(Advice.to(FailedReadAdvice.class).on(named("handleFailedRead").and(takesArguments(2))));
    }

    public static final class CreatedAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.FieldValue("connection") Object connection,
                                @Advice.FieldValue(value = "parseTimeoutUpdater", readOnly = false,
                                        typing = Assigner.Typing.DYNAMIC) Object updater) {
            updater = UndertowHooks.get().updater(connection, updater);
        }
    }

    public static final class HandleEventAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("connection") Object connection) {
            UndertowHooks.get().reading(connection);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit() {
            UndertowHooks.get().readDone();
        }
    }

    public static final class FailedReadAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("connection") Object connection, @Advice.Argument(1) int result) {
            UndertowHooks.get().readFailed(connection, result);
        }
    }
}
