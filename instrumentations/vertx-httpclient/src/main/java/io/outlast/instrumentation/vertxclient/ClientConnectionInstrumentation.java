package io.outlast.instrumentation.vertxclient;

import io.netty.channel.Channel;
import io.outlast.bootstrap.ClientPoolHooks;
import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.VertxClientHooks;
import io.outlast.family.TypeInstrumentation;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.impl.ConnectionBase;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import java.net.SocketAddress;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Vert.x's HTTP/1.1 client connection ({@code Http1xClientConnection}, the same class and fields in 4.5 and 5.0). After
 * each response it sets when it expires ({@code expirationTimestamp}: now plus its keep-alive, 60 s by default, or the
 * {@code Keep-Alive: timeout=} its upstream sent, which Vert.x takes as it is); its client's cleaner closes expired ones
 * every second ({@code PoolOptions.cleanerPeriod}), and the pool hands out any other. The agent brings that expiry
 * forward to the limit in force less the cleaner's default period, so the cleaner has closed the connection by the
 * limit.
 */
final class ClientConnectionInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.vertx.core.http.impl.Http1xClientConnection";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(OpenAdvice.class).on(isConstructor()))
                .visit(Advice.to(RequestAdvice.class).on(named("beginRequest")))
                .visit(Advice.to(ResponseEndAdvice.class).on(named("handleResponseEnd").and(takesArguments(2))))
                .visit(Advice.to(LifecycleAdvice.class).on(named("checkLifecycle").and(takesArguments(0))))
                .visit(Advice.to(ValidAdvice.class).on(named("isValid").and(takesArguments(0))))
                // the client's own closes: 4.5's close(), 5.0's handleClose (every close made on this side passes it)
                .visit(Advice.to(OwnCloseAdvice.class).on(named("close").and(takesArguments(0))
                        .or(named("handleClose").and(takesArguments(2)))))
                .visit(Advice.to(ClosedAdvice.class).on(named("handleClosed").and(takesArguments(0))));
    }

    public static final class OpenAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connection) {
            Channel channel = ((ConnectionBase) connection).channel();
            VertxClientHooks.get().opened(connection, new SocketAddress[] {channel.localAddress(), channel.remoteAddress()});
        }
    }

    public static final class RequestAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection) {
            VertxClientHooks.get().requesting(connection);
        }
    }

    public static final class ResponseEndAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connection) {
            VertxClientHooks.get().passivated(connection);
        }
    }

    /**
     * The expiry just set, brought forward where the limit in force is shorter. A keep-alive other than the options'
     * is one its upstream announced (Vert.x read the header into it).
     */
    public static final class LifecycleAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connection, @Advice.FieldValue("keepAliveTimeout") int keepAliveS,
                                @Advice.FieldValue("options") Object options,
                                @Advice.FieldValue(value = "expirationTimestamp", readOnly = false) long expiration) {
            ClientPoolHooks hooks = VertxClientHooks.get();
            if (keepAliveS != ((HttpClientOptions) options).getKeepAliveTimeout()) {
                hooks.keepAlive(connection, "timeout=" + keepAliveS);
            }
            if (ClientPoolHooks.retireFloorMs() < 0) {
                return;
            }
            long givenMs = keepAliveS > 0 ? keepAliveS * 1000L : 0;
            long limitMs = hooks.keepAliveMs(connection, givenMs);
            if (limitMs != givenMs) {
                // the cleaner's default period early: it closes the connection at its first run past the expiry
                expiration = System.currentTimeMillis() + Math.max(0, limitMs - 1000);
            }
        }
    }

    /** The cleaner's question: an expired connection is closed next, the pool's retirement. */
    public static final class ValidAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connection, @Advice.Return boolean valid) {
            if (!valid) {
                VertxClientHooks.get().closedBy(connection, CloseEvent.CLIENT_IDLE);
            }
        }
    }

    public static final class OwnCloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection) {
            VertxClientHooks.get().closedBy(connection, CloseEvent.CLIENT);
        }
    }

    /**
     * The channel closed, whoever closed it. Unless the client said it closes it: under a request, the upstream's close
     * (on a reused connection, the race); idle in the pool, the upstream's close of an idle connection.
     */
    public static final class ClosedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection) {
            ClientPoolHooks hooks = VertxClientHooks.get();
            // no failure to give: a request's on it is made after this (and the advice's loader cannot see Vert.x's)
            hooks.failed(connection, null);
            hooks.stale(connection);
            hooks.closing(connection, null);
        }
    }
}
