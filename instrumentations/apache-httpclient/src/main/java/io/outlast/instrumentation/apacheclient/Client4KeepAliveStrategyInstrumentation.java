package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import org.apache.http.Header;
import org.apache.http.HttpResponse;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** HttpClient 4.5's default keep-alive strategy: as 5's, an announced {@code Keep-Alive: timeout=N} less the margin. */
final class Client4KeepAliveStrategyInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.http.impl.client.DefaultConnectionKeepAliveStrategy";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(StrategyAdvice.class).on(named("getKeepAliveDuration").and(takesArguments(2))));
    }

    /** It returns milliseconds, or -1 for "for ever". */
    public static final class StrategyAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) Object response, @Advice.Return(readOnly = false) long keepAliveMs) {
            Header header = ((HttpResponse) response).getFirstHeader("Keep-Alive");
            if (header != null) {
                long ms = ApacheClientHooks.get().announced(header.getValue());
                if (ms >= 0 && (keepAliveMs <= 0 || keepAliveMs > ms)) {
                    keepAliveMs = Math.max(1, ms);
                }
            }
        }
    }
}
