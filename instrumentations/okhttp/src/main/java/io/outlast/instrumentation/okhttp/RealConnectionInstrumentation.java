package io.outlast.instrumentation.okhttp;

import io.outlast.bootstrap.ClientPoolHooks;
import io.outlast.bootstrap.OkHttpHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import okhttp3.internal.connection.RealConnection;
import okhttp3.internal.connection.RealConnectionPool;

import java.io.IOException;
import java.net.Socket;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * OkHttp's connection (4 and 5). OkHttp keeps an idle connection for its pool's keep-alive (5 minutes by default) and reads no
 * {@code Keep-Alive} header; its health check reads the socket only for a call other than a GET idle 10 s or more.
 * The agent retires a connection idle past its limit where the pool asks whether it is eligible for a call: it is
 * taken out of the pool and closed, and the call gets another. Also followed: a call's exchange on it (its requests),
 * a failure on it, a failed health check.
 */
final class RealConnectionInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "okhttp3.internal.connection.RealConnection";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(EligibleAdvice.class).on(named("isEligible$okhttp").and(takesArguments(2))))
                .visit(Advice.to(ExchangeAdvice.class).on(named("newCodec$okhttp").and(takesArguments(2))))
                // 4's name and 5's
                .visit(Advice.to(FailureAdvice.class).on(named("trackFailure$okhttp").or(named("trackFailure")).and(takesArguments(2))))
                .visit(Advice.to(HealthAdvice.class).on(named("isHealthy").and(takesArguments(1))));
    }

    /**
     * Once per call and pooled connection looked at, under the connection's lock (which the pool's own calls below
     * expect): below the shortest limit in force, no hook.
     */
    public static final class EligibleAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object self, @Advice.Return(readOnly = false) boolean eligible,
                                @Advice.FieldValue("idleAtNs") long idleAtNs) {
            long floorMs = ClientPoolHooks.retireFloorMs();
            if (!eligible || floorMs < 0) {
                return;
            }
            RealConnection connection = (RealConnection) self;
            if (!connection.getCalls().isEmpty()) {
                return;
            }
            // the field, not its getter: 4's getIdleAtNs$okhttp is 5's getIdleAtNs
            long idleMs = (System.nanoTime() - idleAtNs) / 1_000_000;
            // all it needs of OkHttp read before anything is changed: an OkHttp whose names differ stops here
            RealConnectionPool pool = connection.getConnectionPool();
            Socket socket = connection.socket();
            if (idleMs >= floorMs && OkHttpHooks.get().retires(socket, idleMs)) {
                eligible = false;
                connection.setNoNewExchanges(true);
                // out of the pool (it answers whether the caller must close it: with no new exchanges, yes)
                if (pool.connectionBecameIdle(connection)) {
                    OkHttpHooks.get().closing(socket, socket);
                    try {
                        socket.close();
                    } catch (IOException e) {
                        // closed as OkHttp's own closeQuietly would
                    }
                }
            }
        }
    }

    public static final class ExchangeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection) {
            OkHttpHooks.get().requesting(((RealConnection) connection).socket());
        }
    }

    public static final class FailureAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object connection, @Advice.Argument(1) Object failure) {
            if (failure instanceof IOException) {
                OkHttpHooks.get().failed(((RealConnection) connection).socket(), (IOException) failure);
            }
        }
    }

    public static final class HealthAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object connection, @Advice.Return boolean healthy) {
            if (!healthy) {
                OkHttpHooks.get().stale(((RealConnection) connection).socket());
            }
        }
    }
}
