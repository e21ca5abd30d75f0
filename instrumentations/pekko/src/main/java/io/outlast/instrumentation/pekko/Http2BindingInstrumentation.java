package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A binding with HTTP/2 enabled builds each accepted connection's graph with an idle stage that names the peer (the
 * HTTP/1.1 binding builds one for all, without it), then materializes it on the same thread: that graph is a server
 * connection's whose protocol is chosen later, inside its stream.
 */
final class Http2BindingInstrumentation implements TypeInstrumentation {
    private final Lineage lineage;

    Http2BindingInstrumentation(Lineage lineage) {
        this.lineage = lineage;
    }

    @Override
    public String typeName() {
        return lineage.type("http.impl.engine.HttpConnectionIdleTimeoutBidi$");
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ApplyAdvice.class).on(named("apply").and(takesArguments(2))
                .and(takesArgument(0, named("scala.concurrent.duration.Duration")))));
    }

    public static final class ApplyAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(1) Object remoteAddress) {
            if (remoteAddress != null && remoteAddress.getClass().getName().equals("scala.Some")) {
                PekkoHooks.get().http2ConnectionNext();
            }
        }
    }
}
