package io.outlast.instrumentation.jettyclient;

import io.outlast.bootstrap.ClientPoolHooks;
import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.JettyClientHooks;
import io.outlast.family.NamedTypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

import java.nio.channels.AsynchronousCloseException;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Jetty's HTTP/1.1 client connection ({@code HttpConnectionOverHTTP}; 10 and 11 keep it in {@code client.http}, 12 in
 * {@code client.transport.internal}). Its endpoint's one idle timeout bounds both a pooled connection's wait and a
 * request's: a request sets it for its exchange, and {@code release()} puts back what it was. The agent shortens what
 * release puts back to the limit in force, so the connection is closed idle in its pool before its upstream would,
 * and gives its own back as the next request takes it: a request's wait is never cut. Advice calls only jetty-io
 * types, the same in every line.
 */
final class HttpConnectionInstrumentation extends NamedTypeInstrumentation {
    static final String JETTY_10 = "org.eclipse.jetty.client.http.HttpConnectionOverHTTP";
    static final String JETTY_12 = "org.eclipse.jetty.client.transport.internal.HttpConnectionOverHTTP";

    HttpConnectionInstrumentation(String typeName) {
        super(typeName);
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(OpenAdvice.class).on(named("onOpen").and(takesArguments(0))))
                // the pool's path (the exchange's send); send(Request, listener), a caller's own, is not the pool's
                .visit(Advice.to(SendAdvice.class).on(named("send").and(takesArguments(1))))
                .visit(Advice.to(ReleaseAdvice.class).on(named("release").and(takesArguments(0))))
                .visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(1))
                        .and(takesArgument(0, Throwable.class))));
    }

    public static final class OpenAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connection) {
            Object channel = ((Connection) connection).getEndPoint().getTransport();
            // TLS: the decrypting endpoint's transport is the network's endpoint
            JettyClientHooks.get().opened(connection, channel instanceof EndPoint ? ((EndPoint) channel).getTransport() : channel);
        }
    }

    public static final class SendAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection) {
            ClientPoolHooks hooks = JettyClientHooks.get();
            hooks.requesting(connection);
            if (ClientPoolHooks.retireFloorMs() >= 0) {
                long own = hooks.ownIdleMs(connection);
                if (own >= 0) {
                    // before the send saves it: the exchange, and the release after it, see the connection's own
                    ((Connection) connection).getEndPoint().setIdleTimeout(own);
                }
            }
        }
    }

    /** Back in its pool: the idle timeout release is about to put back, shortened to the limit in force. */
    public static final class ReleaseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection,
                                 @Advice.FieldValue(value = "idleTimeout", readOnly = false) long idleTimeout) {
            ClientPoolHooks hooks = JettyClientHooks.get();
            hooks.passivated(connection);
            if (ClientPoolHooks.retireFloorMs() >= 0) {
                idleTimeout = hooks.pooledIdleMs(connection, idleTimeout);
            }
        }
    }

    /**
     * Every close of the connection passes here with its cause: the idle timeout's ({@code TimeoutException}), a
     * failure's, or a plain close ({@code AsynchronousCloseException}: the client's own, or the upstream's end of
     * stream read while the connection was idle, which leaves its input shut).
     */
    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection, @Advice.Argument(0) Throwable failure) {
            ClientPoolHooks hooks = JettyClientHooks.get();
            EndPoint endPoint = ((Connection) connection).getEndPoint();
            boolean plain = failure instanceof AsynchronousCloseException;
            if (plain && endPoint.isInputShutdown()) {
                hooks.stale(connection);
            } else if (!plain && failure != null) {
                hooks.failed(connection, failure);
            }
            // a plain close idle in the pool is the client's (its stop, its own limits), not an idle retirement
            if (plain) {
                hooks.closedBy(connection, CloseEvent.CLIENT);
            }
            Object channel = endPoint.getTransport();
            hooks.closing(connection, channel instanceof EndPoint ? ((EndPoint) channel).getTransport() : channel);
        }
    }
}
