package io.outlast.instrumentation.reactorclient;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.outlast.bootstrap.ReactorClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import reactor.netty.Connection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A client exchange: a response head's {@code Keep-Alive: timeout=} (the upstream's own idle, announced), and the
 * connection's close under the exchange. Nothing else per request: advice here cost 1.5% of a pooled request's CPU
 * when it also counted requests and times (docs/performance.md), which the pool's metadata counts already. Parameters stay {@code Object}: the agent's loader cannot see Reactor Netty; the casts are inlined into its
 * classes, where they resolve.
 */
final class ClientOperationsInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "reactor.netty.http.client.HttpClientOperations";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(ResponseAdvice.class).on(named("setNettyResponse").and(takesArguments(1))))
                .visit(Advice.to(CloseAdvice.class).on(named("onInboundClose").and(takesArguments(0))));
    }

    /** Once per response, with its head: not in {@code onInboundNext}, which every inbound message passes. */
    public static final class ResponseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object ops, @Advice.Argument(0) Object response) {
            String keepAlive = ((HttpResponse) response).headers().get(HttpHeaderNames.KEEP_ALIVE);
            if (keepAlive != null) {
                ReactorClientHooks.get().keepAlive(((Connection) ops).channel(), keepAlive);
            }
        }
    }

    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object ops) {
            ReactorClientHooks.get().inboundClosed(((Connection) ops).channel(), ops);
        }
    }
}
