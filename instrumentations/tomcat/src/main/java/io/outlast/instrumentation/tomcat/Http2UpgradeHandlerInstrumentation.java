package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import io.outlast.family.TypeInstrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A connection switched to HTTP/2, and its end: by its keep-alive running out (GOAWAY, then close) or otherwise. */
final class Http2UpgradeHandlerInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.coyote.http2.Http2UpgradeHandler";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(InitAdvice.class).on(named("init").and(takesArguments(1))))
                .visit(Advice.to(CloseConnectionAdvice.class).on(named("closeConnection").and(takesArguments(1))))
                .visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(0))));
    }

    public static final class InitAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.FieldValue("socketWrapper") Object wrapper,
                                @Advice.FieldValue("protocol") Object protocol) {
            TomcatHooks.get().h2Started(wrapper, protocol);
        }
    }

    public static final class CloseConnectionAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("socketWrapper") Object wrapper, @Advice.Argument(0) Object error,
                                 @Advice.FieldValue("maxProcessedStreamId") int lastStreamId,
                                 @Advice.FieldValue("connectionTimeout") long connectionTimeout) {
            TomcatHooks.get().h2Closing(wrapper, error == null, lastStreamId, connectionTimeout);
        }
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("socketWrapper") Object wrapper,
                                 @Advice.FieldValue("maxProcessedStreamId") int lastStreamId,
                                 @Advice.FieldValue("connectionTimeout") long connectionTimeout) {
            TomcatHooks.get().h2Closing(wrapper, false, lastStreamId, connectionTimeout);
        }
    }
}
