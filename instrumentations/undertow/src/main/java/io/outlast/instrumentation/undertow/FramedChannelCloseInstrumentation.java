package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** The close of a framed channel (HTTP/2's among them): skipped only where {@code sendGoAway} closes an idle one. */
final class FramedChannelCloseInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.undertow.server.protocol.framed.AbstractFramedChannel";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(0))));
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static boolean enter(@Advice.This Object channel) {
            return UndertowHooks.get().keepOpen(channel, false);
        }
    }
}
