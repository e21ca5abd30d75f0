package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;

/** Undertow closing after a non-persistent response (it drains the request first): the server's close. */
final class ConnectionUtilsInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.undertow.util.ConnectionUtils";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(CleanCloseAdvice.class).on(named("cleanClose")));
    }

    public static final class CleanCloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter() {
            UndertowHooks.get().cleanClose();
        }
    }
}
