package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The logic of Pekko Streams' bidirectional idle timeout, on which Pekko HTTP builds a server's {@code idle-timeout}:
 * its timer looks every second (less under 1 s) whether the last element is its timeout old. Scala names the logic
 * {@code $$anon$N}, N by the compiler; the stage has no other anonymous class, so each N is the same logic (5 in
 * Pekko 1.1 and Akka 2.6).
 */
final class IdleTimeoutInstrumentation implements TypeInstrumentation {
    static final String STAGE = "stream.impl.Timers$IdleTimeoutBidi";
    private final Lineage lineage;
    private final int n;

    IdleTimeoutInstrumentation(Lineage lineage, int n) {
        this.lineage = lineage;
        this.n = n;
    }

    @Override
    public String typeName() {
        return lineage.type(STAGE) + "$$anon$" + n;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(MadeAdvice.class).on(isConstructor()))
                .visit(Advice.to(TimerAdvice.class).on(named("onTimer").and(takesArguments(1))));
    }

    public static final class MadeAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object logic) {
            PekkoHooks.get().idleMade(logic);
        }
    }

    public static final class TimerAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object logic, @Advice.FieldValue("$outer") Object stage,
                                 @Advice.FieldValue(value = "nextDeadline", readOnly = false) long nextDeadline) {
            long due = PekkoHooks.get().idleDeadline(logic, stage, nextDeadline);
            if (due != nextDeadline) {
                nextDeadline = due;
            }
        }
    }
}
