package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** HttpClient 4.5's pool connection, bound to its socket: where the agent begins to follow it. */
final class Client4ConnectionInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.http.impl.conn.DefaultManagedHttpClientConnection";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(BindAdvice.class).on(named("bind").and(takesArguments(1))));
    }

    public static final class BindAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connection, @Advice.Argument(0) Object socket) {
            ApacheClientHooks.get().opened(connection, socket);
        }
    }
}
