package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.util.concurrent.atomic.AtomicInteger;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A connection switched to HTTP/2, and its end: by its keep-alive running out (GOAWAY, then close) or otherwise. The
 * agent times its keep-alive at Tomcat's once-a-second check, and keeps an idle one open a grace after its GOAWAY.
 */
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
                .visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(0))))
                .visit(Advice.to(StreamCountAdvice.class).on(named("setConnectionTimeoutForStreamCount")
                        .and(takesArguments(int.class))))
                .visit(Advice.to(TimeoutCheckAdvice.class).on(named("timeoutAsync").and(takesArguments(1))))
                .visit(Advice.to(TimedOutAdvice.class).on(named("upgradeDispatch").and(takesArguments(1))));
    }

    public static final class InitAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.FieldValue("socketWrapper") Object wrapper,
                                @Advice.FieldValue("protocol") Object protocol, @Advice.This Object handler) {
            TomcatHooks.get().h2Started(wrapper, protocol, handler);
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

    /**
     * Tomcat reads a connection's stream count, then sets its deadline from it: a stream that ended between the two
     * armed the keep-alive, and the stale count took it away again, leaving a connection no idle would ever end.
     * Only a read of frames starts a stream, so a count of none seen now holds while the deadline is armed (as
     * narrowly as Tomcat's own arming does).
     */
    public static final class StreamCountAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) int counted,
                                @Advice.FieldValue("activeRemoteStreamCount") AtomicInteger open,
                                @Advice.This Object handler,
                                @Advice.FieldValue(value = "connectionTimeout", readOnly = false) long deadline) {
            if (counted > 0 && deadline == -1 && open.get() == 0) {
                deadline = TomcatHooks.get().h2Rearmed(handler);
            }
        }
    }

    public static final class TimeoutCheckAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("socketWrapper") Object wrapper, @Advice.This Object handler,
                                 @Advice.FieldValue(value = "connectionTimeout", readOnly = false) long deadline,
                                 @Advice.Argument(value = 0, readOnly = false) long now) {
            if (now != -1) {
                long due = TomcatHooks.get().h2Deadline(wrapper, handler, deadline);
                if (due == 0) {
                    now = -1;
                } else if (due != deadline) {
                    deadline = due;
                }
            }
        }
    }

    /** A timed-out idle connection is kept open (its GOAWAY sent) by skipping Tomcat's close and answering for it. */
    public static final class TimedOutAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static Object enter(@Advice.Argument(0) Object event, @Advice.This Object handler,
                                   @Advice.FieldValue("socketWrapper") Object wrapper,
                                   @Advice.FieldValue("connectionTimeout") long deadline) {
            return "TIMEOUT".equals(event.toString()) ? TomcatHooks.get().h2TimedOut(wrapper, handler, deadline) : null;
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Enter Object keptOpen,
                                @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object state) {
            if (keptOpen != null) {
                state = keptOpen;
            }
        }
    }
}
