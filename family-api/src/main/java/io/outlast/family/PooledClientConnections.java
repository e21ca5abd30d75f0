package io.outlast.family;

import io.outlast.bootstrap.ClientPoolHooks;
import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.ConnectionState;

import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;

/**
 * A client's pools as the agent governs them (Apache HttpClient, OkHttp, the JDK's, Jetty's and Vert.x's: each
 * family's advice finds these hooks through its holder; Reactor Netty has its own). A pooled connection is retired
 * once idle for the client idle in force, or for less than an idle its upstream announced: where the client asks
 * whether to hand one out (OkHttp, the JDK's), or by shortening what the client keeps it for (a keep-alive given at
 * its release, Apache's and the JDK's; an expiry, Vert.x's; its idle timeout while pooled, Jetty's). Each connection is followed from its opening (or, open before the
 * agent, from its next request) to its close, which is logged with who closed it.
 */
public final class PooledClientConnections extends ClientPoolHooks implements LiveFamily {
    /** A pool closing on this thread: its connections' closes are the client's, not retirements. */
    private static final ThreadLocal<Boolean> POOL_CLOSING = new ThreadLocal<>();
    private final ConnectionTracker tracker;
    private final ConnectionRegistry registry;
    /** What of the client only its family can read (its version, a connection's socket, a header). */
    private final Specifics specifics;

    /** What a family reads of its client for these hooks, where its advice cannot give it. */
    public interface Specifics {
        /**
         * The client's version, read from one of its pools, for a family whose advice reports a pool's making; null:
         * not known (the client is then left alone).
         */
        default String version(Object pool) {
            return null;
        }

        /** Points the family's advice at no hooks: the client is left alone from now on. */
        default void leave() {
        }

        /** The connection's socket or channel, for its addresses; null if not read. */
        default Object socketOf(Object connection) {
            return null;
        }

        /** The {@code Keep-Alive} header in the client's own headers object, or null. */
        default String keepAliveOf(Object headers) {
            return null;
        }

        /** The connection a part of it belongs to, where advice on that part gives its headers (Jetty's receiver). */
        default Object connectionOf(Object part) {
            return part;
        }
    }

    /** For a family whose advice gives all these hooks need, and whose hooks hold for every version it instruments. */
    public PooledClientConnections(ConnectionTracker tracker) {
        this(tracker, null);
    }

    public PooledClientConnections(ConnectionTracker tracker, Specifics specifics) {
        this.tracker = tracker;
        this.registry = tracker.registry();
        this.specifics = specifics;
        reconfigured();
    }

    /**
     * A client of a version outlast does not know is said once and left untouched: where its classes keep the names
     * the advice matches but not their meaning, the hooks would read it wrongly.
     */
    @Override
    public void poolMade(Object pool) {
        if (specifics != null) {
            String version = specifics.version(pool);
            if (version == null || !tracker.supports(version)) {
                if (version == null) {
                    tracker.warnOnce(tracker.family() + ": its version cannot be read; left untouched");
                }
                specifics.leave();
            }
        }
    }

    /** The limits advice reads for the settings in force and the idles announced so far. */
    @Override
    public void reconfigured() {
        Timeouts t = tracker.timeouts();
        ClientPoolHooks.limits(t.clientIdleMs, AnnouncedIdles.retireFloorMs(t));
    }

    @Override
    public void stop() {
        ClientPoolHooks.limits(-1, -1);
    }

    @Override
    public void keepAlive(Object connection, String keepAlive) {
        // made here for a client whose pool first sees a connection after its first response (the JDK's)
        PooledClientConnection s = state(connection);
        if (AnnouncedIdles.announce(s, keepAlive)) {
            reconfigured();
        }
    }

    @Override
    public void headers(Object connection, Object headers) {
        if (specifics == null) {
            return;
        }
        String keepAlive = specifics.keepAliveOf(headers);
        if (keepAlive != null) {
            Object c = specifics.connectionOf(connection);
            if (c != null) {
                keepAlive(c, keepAlive);
            }
        }
    }

    @Override
    public long keepAliveMs(Object connection, long givenMs) {
        long limitMs = limitMs((PooledClientConnection) registry.get(connection));
        return limitMs >= 0 && (givenMs <= 0 || givenMs > limitMs) ? limitMs : givenMs;
    }

    @Override
    public long pooledIdleMs(Object connection, long ownMs) {
        PooledClientConnection s = state(connection);
        long pooledMs = keepAliveMs(connection, ownMs);
        s.ownIdleMs = pooledMs == ownMs ? -1 : ownMs;
        return pooledMs;
    }

    @Override
    public long ownIdleMs(Object connection) {
        PooledClientConnection s = (PooledClientConnection) registry.get(connection);
        if (s == null) {
            return -1;
        }
        long own = s.ownIdleMs;
        s.ownIdleMs = -1;
        return own;
    }

    @Override
    public void closedBy(Object connection, String closer) {
        PooledClientConnection s = (PooledClientConnection) registry.get(connection);
        if (s != null) {
            s.mark(closer, s.idleMs(System.nanoTime()));
        }
    }

    @Override
    public boolean retires(Object connection, long idleMs) {
        PooledClientConnection s = (PooledClientConnection) registry.get(connection);
        long limitMs = limitMs(s);
        if (limitMs < 0 || idleMs < limitMs) {
            return false;
        }
        if (s != null) {
            s.mark(CloseEvent.CLIENT_IDLE, idleMs);
        }
        return true;
    }

    /** The idle at which this connection is retired (the client idle, or less where its upstream announced less). */
    private long limitMs(PooledClientConnection s) {
        return tracker.timeouts().clientRetireMs(s == null ? -1 : s.announcedIdleMs);
    }

    @Override
    public boolean retiresIdle(Object connection) {
        PooledClientConnection s = (PooledClientConnection) registry.get(connection);
        return s != null && s.idleSinceNanos != 0 && retires(connection, s.idleMs(System.nanoTime()));
    }

    @Override
    public long announced(String keepAlive) {
        long announcedMs = KeepAlive.timeoutMs(keepAlive);
        return announcedMs < 0 ? -1 : tracker.timeouts().clientRetireMs(announcedMs);
    }

    @Override
    public void opened(Object connection, Object socket) {
        ConnectionState s = state(connection);
        if (!s.addressed()) {
            address(s, socket);
        }
    }

    /** Its state, made now for one the agent did not see bound (open before it came). */
    private PooledClientConnection state(Object connection) {
        ConnectionState s = registry.get(connection);
        if (s == null) {
            s = registry.putIfAbsent(connection, new PooledClientConnection(connection, tracker.family()));
            if (!s.addressed() && specifics != null) {
                address(s, specifics.socketOf(connection));
            }
        }
        return (PooledClientConnection) s;
    }

    private static void address(ConnectionState s, Object socket) {
        try {
            if (socket instanceof Socket) {
                s.addresses(((Socket) socket).getLocalSocketAddress(), ((Socket) socket).getRemoteSocketAddress());
            } else if (socket instanceof SocketChannel) {
                s.addresses(((SocketChannel) socket).getLocalAddress(), ((SocketChannel) socket).getRemoteAddress());
            } else if (socket instanceof SocketAddress[] && ((SocketAddress[]) socket).length == 2) {
                // a Netty channel's, read by the advice (the agent cannot see Netty's types)
                s.addresses(((SocketAddress[]) socket)[0], ((SocketAddress[]) socket)[1]);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // closed already: its addresses stay unknown
        }
    }

    @Override
    public void requesting(Object connection) {
        PooledClientConnection s = state(connection);
        long since = s.idleSinceNanos;
        s.gapMs = since == 0 ? -1 : (System.nanoTime() - since) / 1_000_000;
        s.idleSinceNanos = 0;
        s.requests++;
    }

    @Override
    public void passivated(Object connection) {
        PooledClientConnection s = state(connection);
        s.idleSinceNanos = System.nanoTime() | 1;
        if (s.requests == 0) {
            // back from its first request, which a client that counts only reuses did not report
            s.requests = 1;
        }
    }

    @Override
    public void stale(Object connection) {
        PooledClientConnection s = (PooledClientConnection) registry.get(connection);
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
        PooledClientConnection s = (PooledClientConnection) registry.get(connection);
        if (s == null || s.idleSinceNanos != 0) {
            // idle in its pool, no request's failure: its close tells who closed it
            return;
        }
        if (failure != null && clientsOwnTimeout(failure)) {
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

    /**
     * A failure of the client's own waiting, not the upstream's close: by type where the agent can name it, by name for
     * the clients' own ({@code HttpTimeoutException}, {@code ConnectTimeoutException}).
     */
    static boolean clientsOwnTimeout(Throwable failure) {
        return failure instanceof SocketTimeoutException || failure instanceof InterruptedIOException
                || failure.getClass().getSimpleName().contains("Timeout");
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
        PooledClientConnection s = (PooledClientConnection) registry.remove(connection);
        if (s == null) {
            return;
        }
        try {
            if (!s.addressed()) {
                address(s, socket != null || specifics == null ? socket : specifics.socketOf(connection));
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
