package io.outlast.instrumentation.grizzly;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.GrizzlyHooks;
import io.outlast.family.Addresses;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.EndpointReport;
import io.outlast.family.HeaderDeadline;
import io.outlast.family.HeaderPhase;
import io.outlast.family.LiveFamily;
import io.outlast.family.Servers;
import io.outlast.family.Timeouts;

import java.util.Collection;
import java.util.List;

/**
 * Grizzly's HTTP connections as the agent sees them. Idle: Grizzly's own idle filter, which ends a connection whose
 * last whole message (a request, a response) is its timeout old (checked once a second), given the agent's idle per
 * connection with its public {@code setCustomTimeout}, so that a wait keeps Grizzly's own timer and close. Header:
 * the agent's, from a request's first bytes to its headers parsed, and from the accept to the end of a TLS handshake;
 * while one arrives, the idle filter's deadline is held beyond it.
 */
final class GrizzlyConnections extends GrizzlyHooks implements HeaderPhase<GrizzlyConnection>, LiveFamily,
        Servers.Family<GrizzlyListener> {
    private static final String FAMILY = "grizzly";
    private static final String RESPONSE_COMPLETE = "org.glassfish.grizzly.http.HttpEvents$ResponseCompleteEvent";
    /**
     * How near its wait's end a header is held at once, on its first bytes: nearer than the sweep's two periods (500 ms
     * each at most) and some; further from it, the sweep looks in time ({@link #timedHeaderReadTimeoutMs}).
     */
    private static final long NEAR_END_MS = 1200;

    private final ConnectionTracker tracker;
    private final ConnectionRegistry registry;
    /** Listeners, by their filter chain. */
    private final Servers<GrizzlyListener> listeners;

    GrizzlyConnections(ConnectionTracker tracker) {
        this.tracker = tracker;
        this.registry = tracker.registry();
        this.listeners = new Servers<>(tracker, this);
    }

    private Timeouts timeouts() {
        return tracker.timeouts();
    }

    @Override
    public void started(Object httpServer) {
        try {
            Collection<?> all = (Collection<?>) httpServer.getClass().getMethod("getListeners").invoke(httpServer);
            for (Object listener : all) {
                Class<?> type = listener.getClass();
                Object chain = type.getMethod("getFilterChain").invoke(listener);
                if (chain instanceof List) {
                    adopt((List<?>) chain, type.getMethod("getHost").invoke(listener) + ":"
                            + type.getMethod("getPort").invoke(listener));
                }
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void accepted(Object idleFilter, Object connection) {
        try {
            GrizzlyApi api = GrizzlyApi.of(connection.getClass());
            List<?> chain = api == null ? null : api.chain(connection);
            GrizzlyListener listener = chain == null ? null : adopt(chain, api.local(connection));
            if (listener == null) {
                return;
            }
            GrizzlyConnection s = track(listener, connection);
            long idleMs = timeouts().idleMs;
            if (idleMs > 0) {
                // before the accept's end starts the first wait: it gets the agent's idle already
                listener.api.retime(connection, -1, idleMs);
                s.idleMs = idleMs;
            }
            if (listener.secure) {
                s.handshaking = true;
                s.headerStartNanos = System.nanoTime();
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /**
     * A connection the idle check holds and the agent does not know: open since before an attach, and met here if no
     * request has met it first. Its wait is dated from the deadline Grizzly gave it.
     */
    @Override
    public long deadline(Object connection, long deadlineMillis) {
        if (registry.find(connection) != null || deadlineMillis == 0) {
            // 0: one being closed, still read once or twice: not met again after its close event
            return deadlineMillis;
        }
        try {
            GrizzlyConnection s = meetOpen(connection, deadlineMillis);
            if (s != null) {
                return s.listener().api.deadline(connection);
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
        return deadlineMillis;
    }

    /**
     * A connection open since before an attach, met at its first request's headers or at the idle check's next look
     * (whichever comes first), and given the agent's idle: null where it is not a governed listener's, or closed.
     */
    private GrizzlyConnection meetOpen(Object connection, long deadlineMillis) throws Exception {
        GrizzlyApi api = GrizzlyApi.of(connection.getClass());
        if (api == null || !api.open(connection)) {
            return null;
        }
        List<?> chain = api.chain(connection);
        GrizzlyListener listener = chain == null ? null : adopt(chain, api.local(connection));
        if (listener == null) {
            return null;
        }
        GrizzlyConnection s = track(listener, connection);
        s.idleMs = api.idleMs(connection, listener.ownIdleMs);
        if (api.waiting(deadlineMillis) && s.idleMs >= 0) {
            s.idleSinceMillis = deadlineMillis - s.idleMs;
        } else {
            // a request under way: its headers are read already, as far as the agent can tell
            s.inRequest = true;
        }
        long idleMs = timeouts().idleMs;
        if (idleMs > 0 && idleMs != s.idleMs) {
            api.retime(connection, s.idleMs, idleMs);
            s.idleMs = idleMs;
        }
        return s;
    }

    @Override
    public void idleExpired(Object connection) {
        GrizzlyConnection s = (GrizzlyConnection) registry.find(connection);
        if (s == null) {
            return;
        }
        // Grizzly's own timer, in a header too (held above the deadline there, it ends one only where none is set)
        s.mark(CloseEvent.SERVER_IDLE, s.headerStartNanos != 0 ? 0 : System.currentTimeMillis() - s.idleSinceMillis);
    }

    @Override
    public void handshakeDone(Object connection) {
        GrizzlyConnection s = (GrizzlyConnection) registry.get(connection);
        if (s != null && s.handshaking) {
            s.idleSinceMillis = System.currentTimeMillis();
            s.handshaking = false;
            s.headerStartNanos = 0;
        }
    }

    /**
     * A header's bytes do not restart Grizzly's idle (the codec keeps them until the header is whole, and the idle
     * filter comes after it): a header begun late in a wait would be cut by the wait's end before the sweep could
     * hold it. So near that end the header is held here, on its first bytes (four reflective calls, for a header
     * begun in the last 1.2 s of a wait only).
     */
    @Override
    public void reading(Object connection) {
        GrizzlyConnection s = (GrizzlyConnection) registry.get(connection);
        if (s == null || s.headerStartNanos != 0 || s.inRequest || s.handshaking) {
            return;
        }
        s.headerStartNanos = System.nanoTime();
        long headerMs = timeouts().headerMs;
        long heldMs = HeaderDeadline.heldMs(headerMs);
        if (headerMs > 0 && s.savedIdleMs < 0 && s.idleMs >= 0 && s.idleMs < heldMs
                && System.currentTimeMillis() - s.idleSinceMillis > s.idleMs - NEAR_END_MS) {
            try {
                s.savedIdleMs = (int) s.idleMs;
                setReadTimeoutMs(connection, s, heldMs);
            } catch (Throwable t) {
                tracker.failed(t);
            }
        }
    }

    @Override
    public void headerParsed(Object connection) {
        GrizzlyConnection s = (GrizzlyConnection) registry.get(connection);
        if (s == null) {
            try {
                // open since before an attach, and busy: met at its request rather than at its next wait
                s = meetOpen(connection, -1);
            } catch (Throwable t) {
                tracker.failed(t);
            }
            if (s == null) {
                return;
            }
        }
        s.inRequest = true;
        s.headerStartNanos = 0;
        s.requests++;
    }

    @Override
    public void event(Object connection, Object event) {
        if (event != null && event.getClass().getName().equals(RESPONSE_COMPLETE)) {
            GrizzlyConnection s = (GrizzlyConnection) registry.get(connection);
            if (s != null) {
                s.idleSinceMillis = System.currentTimeMillis();
                s.inRequest = false;
            }
        }
    }

    @Override
    public void closing(Object connection, Object reason) {
        GrizzlyConnection s = (GrizzlyConnection) registry.remove(connection);
        if (s == null) {
            return;
        }
        try {
            GrizzlyApi api = s.listener().api;
            boolean stopping = (s.closer() == null || CloseEvent.ERROR.equals(s.closer())) && api.stopping(connection);
            String unmarked = CloseEvent.SERVER;
            long idleMs = 0;
            if (ConnectionTracker.readsUnmarked(s, stopping)) {
                if (api.closedRemotely(reason)) {
                    unmarked = api.endOfStream(reason) ? CloseEvent.PEER : CloseEvent.ERROR;
                }
                if (s.headerStartNanos == 0 && !s.inRequest) {
                    idleMs = System.currentTimeMillis() - s.idleSinceMillis;
                }
            }
            tracker.closed(s, stopping, unmarked, idleMs, s.requests);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public long headerStartNanos(Object connection, GrizzlyConnection s) {
        long start = s.headerStartNanos;
        return start == 0 ? NONE : start;
    }

    /**
     * Each header's first bytes are timed by the advice, and a handshake from the accept; but a header's bytes do not
     * restart Grizzly's idle, which ends the wait it began in: what is left of that wait is what the sweep must look
     * again within, to hold a header begun in it. Every period where that is unknown (a request under way).
     */
    @Override
    public long timedHeaderReadTimeoutMs(Object connection, GrizzlyConnection s) {
        if (s.idleMs < 0) {
            return 0;
        }
        if (s.inRequest || s.handshaking) {
            return -1;
        }
        long left = s.idleSinceMillis + s.idleMs - System.currentTimeMillis();
        return left > 0 ? left : -1;
    }

    /** The idle filter's timeout: every read and write restarts it, a header's bytes too. */
    @Override
    public long readTimeoutMs(Object connection, GrizzlyConnection s) {
        return s.idleMs;
    }

    /** In a header, the wait's end is held {@code ms} from now; else the wait keeps its start under the new value. */
    @Override
    public void setReadTimeoutMs(Object connection, GrizzlyConnection s, long ms) throws ReflectiveOperationException {
        if (s.headerStartNanos != 0) {
            s.listener().api.hold(connection, ms);
        } else {
            s.listener().api.retime(connection, s.idleMs, ms);
        }
        s.idleMs = ms;
    }

    @Override
    public void close(Object connection, GrizzlyConnection s) throws ReflectiveOperationException {
        s.listener().api.close(connection);
    }

    /** The settings changed: each connection's idle is the agent's now, or its listener's own again. */
    @Override
    public void reconfigured() {
        long idleMs = timeouts().idleMs;
        registry.forEach((connection, state) -> {
            GrizzlyConnection s = (GrizzlyConnection) state;
            long to = idleMs > 0 ? idleMs : s.listener().ownIdleMs;
            try {
                if (s.savedIdleMs >= 0) {
                    s.savedIdleMs = (int) Math.min(Integer.MAX_VALUE, Math.max(0, to));
                } else if (to != s.idleMs) {
                    s.listener().api.retime(connection, s.idleMs, to);
                    s.idleMs = to;
                }
            } catch (Throwable t) {
                tracker.failed(t);
            }
        });
    }

    /** A listener, by its filter chain: reported once, with the first address it is met at. */
    private GrizzlyListener adopt(List<?> chain, Object address) throws Exception {
        GrizzlyListener listener = listeners.adopt(chain);
        if (listener != null && address != null && listener.reported.compareAndSet(false, true)) {
            long idleMs = timeouts().idleMs;
            tracker.report(new EndpointReport(FAMILY, listener.api.version, "listener",
                    address instanceof String ? (String) address : Addresses.format(address), listener.ownIdleMs,
                    idleMs > 0 ? idleMs : listener.ownIdleMs, -1, timeouts().headerMs));
        }
        return listener;
    }

    /** First sight of a listener's chain: an HTTP one with Grizzly's idle filter is governed. */
    @Override
    public GrizzlyListener meet(Object chain) throws ReflectiveOperationException {
        List<?> filters = (List<?>) chain;
        Boolean secure = GrizzlyApi.secureHttp(filters);
        if (secure == null) {
            return null; // not an HTTP server's chain
        }
        GrizzlyApi api = GrizzlyApi.of(chain.getClass());
        if (api == null) {
            tracker.warnOnce("grizzly " + chain.getClass().getName()
                    + ": its internals are not as outlast knows them (" + GrizzlyApi.missing(chain.getClass())
                    + "); left untouched");
            return null;
        }
        if (!tracker.supports(api.version)) {
            return null;
        }
        Object idleFilter = api.idleFilterIn(filters);
        if (idleFilter == null) {
            tracker.warnOnce("grizzly " + api.version + ": an HTTP filter chain without Grizzly's IdleTimeoutFilter (built"
                    + " by the application); left untouched");
            return null;
        }
        return new GrizzlyListener(api, api.defaultIdleMs(idleFilter), secure);
    }

    private GrizzlyConnection track(GrizzlyListener listener, Object connection) throws ReflectiveOperationException {
        GrizzlyConnection s = (GrizzlyConnection) registry.get(connection);
        if (s != null) {
            return s;
        }
        s = new GrizzlyConnection(listener, listener.api.local(connection), listener.api.remote(connection),
                System.currentTimeMillis());
        s.idleMs = listener.ownIdleMs;
        return (GrizzlyConnection) registry.putIfAbsent(connection, s);
    }
}
