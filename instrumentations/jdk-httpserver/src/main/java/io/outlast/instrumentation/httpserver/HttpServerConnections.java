package io.outlast.instrumentation.httpserver;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.HttpServerHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.EndpointReport;
import io.outlast.family.HeaderPhase;
import io.outlast.family.Reflection;
import io.outlast.family.RunningThreads;
import io.outlast.family.LiveFamily;
import io.outlast.family.Servers;
import io.outlast.family.Sweep;
import io.outlast.family.Timeouts;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;


/**
 * The JDK server's connections as the agent sees them. Idle: the interval the server's own idle check
 * uses, replaced, and that check run by the agent's timer every quarter second (the server's own runs
 * every 10 s). Header: the agent's, from the request's first byte to its exchange being made.
 */
final class HttpServerConnections extends HttpServerHooks implements HeaderPhase<HttpServerConnection>, LiveFamily,
        Servers.Family<HttpServerApi> {
    private static final String FAMILY = "jdk";
    private static final String DISPATCHER = "sun.net.httpserver.ServerImpl$Dispatcher";

    private final ConnectionTracker tracker;
    private final ConnectionRegistry registry;
    /** Servers met, each with its API handle; the server's own idle is a constant, not the server's to change. */
    private final Servers<HttpServerApi> servers;
    private final HttpServerDrain drain;
    /** The server whose idle check runs on this thread: its closes are idle closes. */
    private final ThreadLocal<Object> idleSweep = new ThreadLocal<>();
    /** The connection whose request the current thread is reading. */
    private final ThreadLocal<Object> reading = new ThreadLocal<>();

    /**
     * HTTPS connections whose first handshake is done and whose first request has not begun. The server has
     * them in an exchange already, where its idle check does not look: the agent's own check times them.
     */
    private final Set<Object> tlsWaiting = ConcurrentHashMap.newKeySet();

    /**
     * The server's own idle check runs every 10 s; while the agent sets idle, it runs (with the agent's
     * interval) far more often, from the first server met on.
     */
    private final Sweep idleChecks;

    HttpServerConnections(ConnectionTracker tracker) {
        this.tracker = tracker;
        this.registry = tracker.registry();
        this.servers = new Servers<>(tracker, this);
        this.drain = new HttpServerDrain(tracker, servers);
        this.idleChecks = tracker.context().sweep(c -> c.idleMs > 0 ? sweepPeriodMs(c.idleMs) : -1, () -> {
            try {
                sweepIdle();
            } catch (Exception e) {
                tracker.failed(e);
            }
        });
    }

    /** The timeouts in force, read each time: an attach may change them while the server runs. */
    private Timeouts timeouts() {
        return tracker.timeouts();
    }

    /**
     * The agent's idle check: every known server's own check, with the agent's interval. A fresh instance
     * each time: one kept would refer to its server and hold it after it stopped.
     */
    void sweepIdle() throws Exception {
        servers.forEach((server, api) -> {
            if (!api.terminating(server)) {
                api.idleTask(server).run();
            }
        });
        if (!tlsWaiting.isEmpty()) {
            closeIdleTls(timeouts().idleMs);
        }
    }

    private void closeIdleTls(long idleMs) {
        long now = System.currentTimeMillis();
        for (Object connection : tlsWaiting) {
            HttpServerConnection s = (HttpServerConnection) registry.get(connection);
            if (s == null || s.requestStartNanos != 0) {
                tlsWaiting.remove(connection);
                continue;
            }
            long waited = now - s.idleSinceMillis;
            if (waited >= idleMs && s.mark(CloseEvent.SERVER_IDLE, waited)) {
                try {
                    close(connection, s);
                } catch (Exception e) {
                    tracker.failed(e);
                }
            }
        }
    }

    @Override
    public void started(Object server) {
        try {
            adopt(server);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void accepted(Object server, Object connection) {
        try {
            HttpServerApi api = adopt(server);
            if (api != null) {
                track(api, server, connection);
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void requestStarted(Object server, Object connection) {
        try {
            HttpServerApi api = adopt(server);
            if (api != null) {
                track(api, server, connection).requestStartNanos = System.nanoTime();
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void headersRead(Object connection) {
        HttpServerConnection s = (HttpServerConnection) registry.get(connection);
        if (s != null) {
            s.requestStartNanos = 0;
            s.requests++;
        }
    }

    @Override
    public void idle(Object server, Object connection) {
        HttpServerConnection s = (HttpServerConnection) registry.get(connection);
        if (s != null) {
            s.idleSinceMillis = System.currentTimeMillis();
        }
    }

    @Override
    public long idleInterval(Object server, long intervalMs) {
        try {
            // the server's idle check is where an idle close is decided: the server is met here at the latest
            if (adopt(server) == null || timeouts().idleMs <= 0) {
                return intervalMs;
            }
            idleSweep.set(server);
            return timeouts().idleMs;
        } catch (Throwable t) {
            tracker.failed(t);
            return intervalMs;
        }
    }

    @Override
    public void idleSweepDone() {
        idleSweep.remove();
    }

    @Override
    public void exchangeStarted(Object connection) {
        reading.set(connection);
    }

    @Override
    public void exchangeDone() {
        reading.remove();
    }

    /**
     * Over TLS the dispatcher starts a new connection's exchange at the ClientHello: the handshake is timed as a
     * header (a slow handshake is a slow-loris too), but once it is done the wait for the first request is idle,
     * as a proxy's pool holds a connection it opened ahead.
     */
    @Override
    public void handshakeDone() {
        Object connection = reading.get();
        HttpServerConnection s = connection == null ? null : (HttpServerConnection) registry.get(connection);
        if (s != null && s.requests == 0 && s.requestStartNanos != 0) {
            s.idleSinceMillis = System.currentTimeMillis();
            // first: the header sweep, seeing no request begun, must find it waiting untimed
            tlsWaiting.add(connection);
            s.requestStartNanos = 0;
        }
    }

    /** The first decrypted bytes after the handshake: the first request's header has begun. */
    @Override
    public void tlsDataRead() {
        Object connection = reading.get();
        if (connection != null && !tlsWaiting.isEmpty() && tlsWaiting.remove(connection)) {
            HttpServerConnection s = (HttpServerConnection) registry.get(connection);
            if (s != null && s.requestStartNanos == 0) {
                s.requestStartNanos = System.nanoTime();
            }
        }
    }

    @Override
    public void requestLineRead(boolean endOfStream, Throwable thrown) {
        Object connection = reading.get();
        HttpServerConnection s = connection == null ? null : (HttpServerConnection) registry.get(connection);
        if (s == null) {
            return;
        }
        long waited = System.currentTimeMillis() - s.idleSinceMillis;
        if (thrown != null) {
            s.mark(CloseEvent.ERROR, waited);
        } else if (endOfStream) {
            s.mark(CloseEvent.PEER, waited);
        }
    }

    @Override
    public void closing(Object connection) {
        try {
            tlsWaiting.remove(connection);
            HttpServerConnection s = (HttpServerConnection) registry.remove(connection);
            Object sweeping = idleSweep.get();
            if (s == null && sweeping != null) {
                // open since before an attach, never active since: met at its idle close
                HttpServerApi api = HttpServerApi.of(sweeping.getClass());
                s = new HttpServerConnection(api, sweeping, FAMILY, api.local(connection), api.remote(connection),
                        api.idleStartMillis(connection));
            }
            if (s == null) {
                return;
            }
            String unmarked;
            if (sweeping != null) {
                unmarked = CloseEvent.SERVER_IDLE;
            } else if (reading.get() == connection) {
                // the thread serving the connection closes it only when reading or writing failed (a reset,
                // among others; the peer's FIN is marked when read); after a response, the dispatcher closes
                unmarked = CloseEvent.ERROR;
            } else {
                unmarked = CloseEvent.SERVER;
            }
            tracker.closed(s, s.api().terminating(s.server), unmarked,
                    s.requestStartNanos != 0 ? 0 : System.currentTimeMillis() - s.idleSinceMillis, s.requests);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public long headerStartNanos(Object connection, HttpServerConnection s) throws IllegalAccessException {
        long start = s.requestStartNanos;
        if (start == 0 && tlsWaiting.contains(connection) && s.api().recordArriving(connection)) {
            // part of a record, not yet decrypted: the request's first bytes, seen by this sweep
            tlsWaiting.remove(connection);
            start = s.requestStartNanos = System.nanoTime();
        }
        return start == 0 ? NONE : start;
    }

    /** The advice times each request's first byte, but not the first record after a handshake (seen by the sweep). */
    @Override
    public long timedHeaderReadTimeoutMs(Object connection, HttpServerConnection s) {
        return tlsWaiting.contains(connection) ? -1 : 0;
    }

    @Override
    public long readTimeoutMs(Object connection, HttpServerConnection s) {
        return -1; // the JDK server times no reads within a request
    }

    @Override
    public void setReadTimeoutMs(Object connection, HttpServerConnection s, long ms) {
    }

    @Override
    public void stopping(Object server) {
        try {
            drain.stopping(server);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public boolean closeAfterResponse(Object connection, Object responseHeaders) {
        try {
            return drain.closeAfterResponse(connection, responseHeaders);
        } catch (Throwable t) {
            tracker.failed(t);
            return false;
        }
    }

    @Override
    public void drainAtExit() throws Exception {
        drain.drainAtExit();
    }

    @Override
    public void close(Object connection, HttpServerConnection s) throws ReflectiveOperationException {
        s.api().close(s.server, connection);
    }

    /**
     * At install: each server already running is met from its dispatcher thread, so the agent's idle check runs
     * from now on, not from its next connection (its own check, every 10 s, would close up to that late).
     */
    @Override
    public void meetRunning(RunningThreads threads) throws Exception {
        threads.forEach((thread, task) -> {
            if (task != null && task.getClass().getName().equals(DISPATCHER)) {
                Object server = Reflection.outer(task);
                if (server != null) {
                    adopt(server);
                }
            }
        });
    }

    private HttpServerApi adopt(Object server) throws Exception {
        return servers.adopt(server);
    }

    /** First sight of a server: report it (its settings are applied where its idle check runs). */
    @Override
    public HttpServerApi meet(Object server) throws ReflectiveOperationException {
        HttpServerApi api = HttpServerApi.of(server.getClass());
        if (api == null) {
            tracker.warnOnce("jdk http server " + server.getClass().getName()
                    + ": its internals are not as outlast knows them (" + HttpServerApi.missing(server.getClass())
                    + "); left untouched");
            return null;
        }
        idleChecks.start();
        long before = api.idleIntervalMs();
        tracker.report(new EndpointReport(FAMILY, System.getProperty("java.version"), "server",
                api.address(server), before, timeouts().idleMs > 0 ? timeouts().idleMs : before, -1, timeouts().headerMs));
        return api;
    }

    private HttpServerConnection track(HttpServerApi api, Object server, Object connection)
            throws IllegalAccessException {
        HttpServerConnection s = (HttpServerConnection) registry.get(connection);
        if (s != null) {
            return s;
        }
        s = (HttpServerConnection) registry.putIfAbsent(connection, new HttpServerConnection(api, server, FAMILY,
                api.local(connection), api.remote(connection), System.currentTimeMillis()));
        long idleStart = api.idleStartMillis(connection);
        if (idleStart > 0) {
            s.idleSinceMillis = idleStart;
        }
        return s;
    }

    /**
     * A twentieth of idle, within 50-500 ms: closes that late at most. Each pass is the server's own idle check, which
     * looks at every idle connection: at 10,000 of them, 3 ms a pass (docs/performance.md, at scale).
     */
    static long sweepPeriodMs(long idleMs) {
        return Math.max(50, Math.min(500, idleMs / 20));
    }
}
