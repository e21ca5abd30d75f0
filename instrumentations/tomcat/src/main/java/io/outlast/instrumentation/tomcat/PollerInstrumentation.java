package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import io.outlast.core.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The poller's timeout pass: it runs about once a second, so after an attach every NIO endpoint is met
 * within a second, with no traffic needed.
 */
final class PollerInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.tomcat.util.net.NioEndpoint$Poller";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(TimeoutAdvice.class).on(named("timeout").and(takesArguments(2))));
    }

    public static final class TimeoutAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("this$0") Object endpoint) {
            TomcatHooks.get().pollerTick(endpoint);
        }
    }
}
