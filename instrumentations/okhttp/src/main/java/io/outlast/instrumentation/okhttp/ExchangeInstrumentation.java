package io.outlast.instrumentation.okhttp;

import io.outlast.bootstrap.OkHttpHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import okhttp3.Response;
import okhttp3.internal.connection.Exchange;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A response head: its {@code Keep-Alive: timeout=}, which OkHttp does not read, is the agent's to keep. */
final class ExchangeInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "okhttp3.internal.connection.Exchange";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(HeadersAdvice.class).on(named("responseHeadersEnd").and(takesArguments(1))));
    }

    /** Once per response; a hook only for one with the header. */
    public static final class HeadersAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object exchange, @Advice.Argument(0) Object response) {
            String keepAlive = ((Response) response).header("Keep-Alive");
            if (keepAlive != null) {
                OkHttpHooks.get().keepAlive(((Exchange) exchange).getConnection$okhttp().socket(), keepAlive);
            }
        }
    }
}
