package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Where {@code Http2Channel.sendGoAway} could not write its GOAWAY at once (a framed channel queues it), this listener
 * (2.2 and 2.3 name it {@code Http2Channel$3}) closes the channel the moment it is out: skipped for an idle close.
 */
final class Http2GoAwayWrittenInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.undertow.protocols.http2.Http2Channel$3";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(HandleEventAdvice.class).on(named("handleEvent").and(takesArguments(1))
                .and(takesArgument(0, named("java.nio.channels.Channel"))).and(not(isBridge()))));
    }

    public static final class HandleEventAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static boolean enter(@Advice.FieldValue("this$0") Object channel) {
            return UndertowHooks.get().keepOpen(channel, true);
        }
    }
}
