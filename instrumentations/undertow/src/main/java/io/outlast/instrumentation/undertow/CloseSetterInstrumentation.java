package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** Once per closed connection (the typed method, not its bridge). */
final class CloseSetterInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.undertow.server.AbstractServerConnection$CloseSetter";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(HandleEventAdvice.class).on(named("handleEvent").and(takesArguments(1))
                .and(takesArgument(0, net.bytebuddy.matcher.ElementMatchers.named("org.xnio.StreamConnection")))));
    }

    public static final class HandleEventAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("this$0") Object connection) {
            UndertowHooks.get().closed(connection);
        }
    }
}
