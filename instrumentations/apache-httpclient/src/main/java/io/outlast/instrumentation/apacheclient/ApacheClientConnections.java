package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.ConnectionState;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.KeepAlive;
import io.outlast.family.LiveFamily;

import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Apache HttpClient 5's classic pools as the agent governs them. The pool keeps a released connection for the
 * keep-alive it is given at its release, and discards it at the first lease after: the agent shortens that keep-alive
 * to the client idle in force (the release advice, without a hook), and an upstream's announced {@code Keep-Alive:
 * timeout=} by the margin (here). Each connection is followed from its bind (or, open before the agent, from its next
 * request) to its close, which is logged with who closed it.
 */
final class ApacheClientConnections extends ApacheClientHooks implements LiveFamily {
    /** A pool manager closing on this thread: its connections' closes are the client's, not retirements. */
    private static final ThreadLocal<Boolean> POOL_CLOSING = new ThreadLocal<>();
    private final ConnectionTracker tracker;
    private final ConnectionRegistry registry;

    ApacheClientConnections(ConnectionTracker tracker) {
        this.tracker = tracker;
        this.registry = tracker.registry();
        reconfigured();
    }

    @Override
    public void reconfigured() {
        ApacheClientHooks.clientIdleMs(tracker.timeouts().clientIdleMs);
    }

    @Override
    public void stop() {
        ApacheClientHooks.clientIdleMs(-1);
    }

    @Override
    public long announced(String keepAlive) {
        long announcedMs = KeepAlive.timeoutMs(keepAlive);
        return announcedMs < 0 ? -1 : tracker.timeouts().clientRetireMs(announcedMs);
    }

    @Override
    public void opened(Object connection, Object socket) {
        ConnectionState s = state(connection);
        if (!s.addressed() && socket instanceof Socket) {
            s.addresses(((Socket) socket).getLocalSocketAddress(), ((Socket) socket).getRemoteSocketAddress());
        }
    }

    /** Its state, made now for one the agent did not see bound (open before it came). */
    private ApacheClientConnection state(Object connection) {
        ConnectionState s = registry.get(connection);
        if (s == null) {
            s = registry.putIfAbsent(connection, new ApacheClientConnection(connection, tracker.family()));
        }
        return (ApacheClientConnection) s;
    }

    @Override
    public void requesting(Object connection) {
        ApacheClientConnection s = state(connection);
        long since = s.idleSinceNanos;
        s.gapMs = since == 0 ? -1 : (System.nanoTime() - since) / 1_000_000;
        s.idleSinceNanos = 0;
        s.requests++;
    }

    @Override
    public void passivated(Object connection) {
        state(connection).idleSinceNanos = System.nanoTime() | 1;
    }

    @Override
    public void stale(Object connection) {
        ApacheClientConnection s = (ApacheClientConnection) registry.get(connection);
        if (s != null) {
            s.mark(CloseEvent.PEER, s.idleMs(System.nanoTime()));
        }
    }

    /**
     * A request that failed on a reused connection, for any cause but a timeout of the client's own, is the race: the
     * upstream closed (or reset) it while the request was on its way.
     */
    @Override
    public void failed(Object connection, Throwable failure) {
        ApacheClientConnection s = (ApacheClientConnection) registry.get(connection);
        if (s == null) {
            return;
        }
        if (failure instanceof SocketTimeoutException || failure instanceof InterruptedIOException) {
            s.mark(CloseEvent.ERROR, 0);
        } else if (s.gapMs >= 0) {
            long gapMs = s.gapMs;
            if (s.mark(CloseEvent.PEER, gapMs)) {
                s.failedAfterIdleMs = gapMs;
            }
        } else {
            s.mark(CloseEvent.ERROR, 0);
        }
    }

    @Override
    public void poolClosing(boolean closing) {
        if (closing) {
            POOL_CLOSING.set(Boolean.TRUE);
        } else {
            POOL_CLOSING.remove();
        }
    }

    @Override
    public void closing(Object connection, Object socket) {
        ApacheClientConnection s = (ApacheClientConnection) registry.remove(connection);
        if (s == null) {
            return;
        }
        try {
            if (!s.addressed() && socket instanceof Socket) {
                s.addresses(((Socket) socket).getLocalSocketAddress(), ((Socket) socket).getRemoteSocketAddress());
            }
            String closer = s.closer();
            long idleMs;
            if (closer != null) {
                idleMs = s.idleAtMarkMs();
            } else {
                idleMs = s.idleMs(System.nanoTime());
                // idle in its pool: the pool retired it (its keep-alive ran out, its time to live, an evictor)
                closer = s.idleSinceNanos != 0 && POOL_CLOSING.get() == null ? CloseEvent.CLIENT_IDLE : CloseEvent.CLIENT;
            }
            tracker.closedClient(s, closer, idleMs, s.requests, -1, s.failedAfterIdleMs);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }
}
