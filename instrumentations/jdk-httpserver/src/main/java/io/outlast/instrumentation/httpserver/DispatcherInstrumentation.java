package io.outlast.instrumentation.httpserver;

import io.outlast.bootstrap.HttpServerHooks;
import io.outlast.core.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import java.nio.channels.SelectionKey;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** The dispatcher closing a connection whose socket failed (a reset, among others). */
final class DispatcherInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.net.httpserver.ServerImpl$Dispatcher";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(HandleExceptionAdvice.class).on(named("handleException").and(takesArguments(2))));
    }

    public static final class HandleExceptionAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) SelectionKey key) {
            HttpServerHooks.get().failed(key.attachment());
        }
    }
}
