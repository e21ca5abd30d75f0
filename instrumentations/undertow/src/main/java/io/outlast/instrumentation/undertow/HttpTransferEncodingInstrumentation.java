package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** An HTTP/1.1 request set up: during a drain it is made not persistent (its response says Connection: close). */
final class HttpTransferEncodingInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.undertow.server.protocol.http.HttpTransferEncoding";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(SetupAdvice.class).on(named("setupRequest").and(takesArguments(1))));
    }

    public static final class SetupAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) Object exchange) {
            UndertowHooks.get().requestStarting(exchange);
        }
    }
}
