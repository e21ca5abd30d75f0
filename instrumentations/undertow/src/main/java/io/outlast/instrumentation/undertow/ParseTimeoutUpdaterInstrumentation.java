package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Undertow's two timers in one: the wait for a request (NO_REQUEST_TIMEOUT) and, from a request's first
 * incomplete read, its parse (REQUEST_PARSE_TIMEOUT); an HTTP/2 channel has one too (the wait for a stream with
 * none open, and a stream's incomplete headers), closed with the channel. The agent replaces what it arms, and
 * moves a timer armed before an attach to the new value when it fires.
 */
final class ParseTimeoutUpdaterInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.undertow.server.protocol.ParseTimeoutUpdater";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(ScheduleAdvice.class).on(named("handleSchedule").and(takesArguments(long.class))))
                .visit(Advice.to(RequestStartedAdvice.class).on(named("requestStarted").and(takesArguments(0))))
                .visit(Advice.to(RunAdvice.class).on(named("run").and(takesArguments(0))))
                .visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(0))));
    }

    public static final class ScheduleAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("connection") Object connection,
                                 @Advice.FieldValue("parsing") boolean parsing,
                                 @Advice.Argument(value = 0, readOnly = false) long timeout) {
            timeout = UndertowHooks.get().schedule(connection, parsing, timeout);
        }
    }

    public static final class RequestStartedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("connection") Object connection) {
            UndertowHooks.get().requestParsed(connection);
        }
    }

    public static final class RunAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("connection") Object connection,
                                 @Advice.FieldValue("parsing") boolean parsing,
                                 @Advice.FieldValue(value = "expireTime", readOnly = false) long expireTime,
                                 @Advice.FieldValue("requestIdleTimeout") long ownIdle,
                                 @Advice.FieldValue("requestParseTimeout") long ownParse) {
            expireTime = UndertowHooks.get().expiring(connection, parsing, expireTime, ownIdle, ownParse);
        }
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("connection") Object connection) {
            UndertowHooks.get().updaterClosed(connection);
        }
    }
}
