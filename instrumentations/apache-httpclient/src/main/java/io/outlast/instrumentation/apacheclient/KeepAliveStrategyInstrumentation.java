package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.util.TimeValue;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The default keep-alive strategy keeps a connection exactly as long as its upstream announced ({@code Keep-Alive:
 * timeout=N}): a tie with the upstream's own close. The agent takes the margin off.
 */
final class KeepAliveStrategyInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.hc.client5.http.impl.DefaultConnectionKeepAliveStrategy";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(StrategyAdvice.class).on(named("getKeepAliveDuration").and(takesArguments(2))));
    }

    /** Once per response; a hook only for one with the header. */
    public static final class StrategyAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) Object response,
                                @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object keepAlive) {
            Header header = ((HttpResponse) response).getFirstHeader("Keep-Alive");
            if (header != null) {
                long ms = ApacheClientHooks.get().announced(header.getValue());
                TimeValue given = (TimeValue) keepAlive;
                if (ms >= 0 && (given == null || !TimeValue.isPositive(given) || given.toMilliseconds() > ms)) {
                    keepAlive = TimeValue.ofMilliseconds(Math.max(1, ms));
                }
            }
        }
    }
}
