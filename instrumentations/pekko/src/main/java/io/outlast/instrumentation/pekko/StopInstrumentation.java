package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A stop: the actor system's (which stops every connection's actor) or a binding's graceful terminate (which ends
 * its connections): their closes are {@code shutdown}.
 */
final class StopInstrumentation implements TypeInstrumentation {
    private final String type;
    private final String method;
    private final int arguments;

    private StopInstrumentation(String type, String method, int arguments) {
        this.type = type;
        this.method = method;
        this.arguments = arguments;
    }

    static StopInstrumentation actorSystem(Lineage lineage) {
        return new StopInstrumentation(lineage.type("actor.ActorSystemImpl"), "terminate", 0);
    }

    static StopInstrumentation binding(Lineage lineage) {
        return new StopInstrumentation(lineage.type("http.scaladsl.Http$ServerBinding"), "terminate", 1);
    }

    @Override
    public String typeName() {
        return type;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(StopAdvice.class).on(named(method).and(takesArguments(arguments))));
    }

    public static final class StopAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object what) {
            PekkoHooks.get().stopping(what);
        }
    }
}
