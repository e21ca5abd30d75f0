package io.outlast.instrumentation.jetty;

import io.outlast.bootstrap.JettyHooks;
import io.outlast.family.NamedTypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A response's last write: a connector shut down after the response was committed as kept-alive has Jetty close the
 * connection once it ends, with no {@code Connection: close} said (a proxy may be sending its next request onto it).
 * During a drain it stays open instead: the next response says {@code Connection: close}. The class moved in 12.
 */
final class SendCallbackInstrumentation extends NamedTypeInstrumentation {
    SendCallbackInstrumentation(String typeName) {
        super(typeName);
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ProcessAdvice.class).on(named("process").and(takesArguments(0))));
    }

    public static final class ProcessAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object callback,
                                @Advice.FieldValue(value = "_shutdownOut", readOnly = false) boolean shutdownOut) {
            if (shutdownOut && JettyHooks.get().keepOpenAfterResponse(callback)) {
                shutdownOut = false;
            }
        }
    }
}
