package io.outlast.instrumentation.liberty;

import io.outlast.bootstrap.LibertyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** The HTTP channel's link of a connection: a request's head parsed whole, handed on. */
final class HttpLinkInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "com.ibm.ws.http.channel.internal.inbound.HttpInboundLink";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(RequestAdvice.class).on(named("handleNewRequest").and(takesArguments(0))));
    }

    public static final class RequestAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object link) {
            LibertyHooks.get().requestIn(link);
        }
    }
}
