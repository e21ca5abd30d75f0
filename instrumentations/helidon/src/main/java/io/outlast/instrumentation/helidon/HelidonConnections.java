package io.outlast.instrumentation.helidon;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.HelidonHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.EndpointReport;
import io.outlast.family.HeaderPhase;
import io.outlast.family.LiveFamily;
import io.outlast.family.Reflection;
import io.outlast.family.RunningThreads;
import io.outlast.family.Servers;
import io.outlast.family.Sweep;
import io.outlast.family.Timeouts;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Helidon 4's connections as the agent sees them. Helidon serves each on a thread of its own that reads it
 * blocking; the connection's state is that thread's while it runs. Idle: Helidon's own check looks every 2 min for
 * connections idle 5 min, to the second; the agent's sweep closes a waiting connection at the agent's idle, with
 * Helidon's own idle close (HTTP/2: once Helidon counts it idle a second past the agent's), and Helidon's own check is
 * made by the agent, without the connections the agent governs (a WebSocket keeps Helidon's idle). Header: Helidon has none; the agent's, from a request's first byte (over
 * TLS: the handshake's) to its headers.
 */
final class HelidonConnections extends HelidonHooks implements HeaderPhase<HelidonConnection>, LiveFamily,
        Servers.Family<HelidonApi> {
    private static final String FAMILY = "helidon";
    private static final String LISTENER = "io.helidon.webserver.ServerListener";
    /** Helidon's clock ticks once a second: an idle it counts is up to that far from the true one, either way. */
    private static final long HELIDON_TICK_MS = 1000;
    /** Between an idle HTTP/2 connection's GOAWAY and its close: as the Netty family's. */
    private static final long GOAWAY_GRACE_MS = 1000;

    private final ConnectionTracker tracker;
    private final ConnectionRegistry registry;
    private final Servers<HelidonApi> listeners;
    /** The connection the current thread serves (Helidon's thread per connection). */
    private final ThreadLocal<HelidonConnection> serving = new ThreadLocal<>();
    /**
     * The HTTP/1.1 connections met at an attach, by their reader, until their threads are first seen in the advice
     * (their reads began before it: the wait for the next request, or its headers, is the first sight).
     */
    private final ConnectionRegistry metByReader = new ConnectionRegistry();
    private final Sweep idleSweep;

    HelidonConnections(ConnectionTracker tracker) {
        this.tracker = tracker;
        this.registry = tracker.registry();
        this.listeners = new Servers<>(tracker, this);
        this.idleSweep = tracker.context().sweep(c -> c.idleMs > 0 ? sweepPeriodMs(c.idleMs) : -1, () -> {
            try {
                sweepIdle();
            } catch (Throwable t) {
                tracker.failed(t);
            }
        });
    }

    private Timeouts timeouts() {
        return tracker.timeouts();
    }

    @Override
    public void listening(Object listeners) {
        try {
            for (Object listener : ((Map<?, ?>) listeners).values()) {
                this.listeners.adopt(listener);
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void accepted(Object handler) {
        try {
            HelidonApi api = HelidonApi.of(handler.getClass());
            if (api == null) {
                return;
            }
            Object listener = api.listener(handler);
            if (listeners.adopt(listener) == null) {
                return;
            }
            serving.set((HelidonConnection) registry.putIfAbsent(handler,
                    new HelidonConnection(api, listener, api.channel(handler), System.currentTimeMillis())));
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void read(long bytes, Throwable thrown) {
        HelidonConnection s = serving.get();
        if (s == null) {
            return;
        }
        if (bytes > 0) {
            if (s.waiting) {
                s.requestStartNanos = System.nanoTime();
                s.waiting = false;
            }
            return;
        }
        long waited = s.waiting || s.protocol != null ? System.currentTimeMillis() - s.idleSinceMillis : 0;
        if (thrown != null) {
            s.mark(CloseEvent.ERROR, waited);
        } else if (bytes < 0) {
            s.mark(CloseEvent.PEER, waited);
        }
    }

    /**
     * HTTP/2: the wait for a stream ends with a stream's frame (DATA, HEADERS, RST_STREAM, CONTINUATION), not with the
     * connection's own (SETTINGS, PING, GOAWAY, WINDOW_UPDATE, PRIORITY), as Helidon counts it; read from the first frame
     * header of what arrived.
     */
    @Override
    public void received(byte[] bytes) {
        HelidonConnection s = serving.get();
        if (s == null || s.protocol == null || bytes.length < 4) {
            return;
        }
        int type = bytes[3];
        if (type == 0 || type == 1 || type == 3 || type == 9) {
            s.idleSinceMillis = System.currentTimeMillis();
        }
    }

    /**
     * Over TLS the first bytes are the handshake's, timed as a header: once it is done, the wait is idle again, unless
     * the first request's bytes came in behind the handshake's last (its header then begins now).
     */
    @Override
    public void handshakeDone(int bytesAfter) {
        HelidonConnection s = serving.get();
        if (s != null && s.requests == 0 && s.requestStartNanos != 0) {
            if (bytesAfter > 0) {
                s.requestStartNanos = System.nanoTime();
                return;
            }
            s.idleSinceMillis = System.currentTimeMillis();
            s.requestStartNanos = 0;
            s.waiting = true;
        }
    }

    /** The connection the current thread serves; one met at an attach is first seen here, by its reader. */
    private HelidonConnection serving(Object reader) {
        HelidonConnection s = serving.get();
        if (s == null && reader != null && metByReader.size() > 0) {
            s = (HelidonConnection) metByReader.remove(reader);
            if (s != null) {
                serving.set(s);
            }
        }
        return s;
    }

    @Override
    public void awaitingRequest(Object reader) {
        HelidonConnection s = serving(reader);
        if (s == null || s.waiting || s.requestStartNanos != 0) {
            return;
        }
        try {
            if (s.api().buffered(reader)) {
                s.requestStartNanos = System.nanoTime(); // pipelined: its first bytes came with the request before it
                return;
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
        s.idleSinceMillis = System.currentTimeMillis();
        s.waiting = true;
    }

    @Override
    public void headersRead(Object reader) {
        HelidonConnection s = serving(reader);
        if (s != null && (s.waiting || s.requestStartNanos != 0)) {
            s.requests++;
            s.requestStartNanos = 0;
            s.waiting = false;
        }
    }

    /** HTTP/2: idle from a stream's last frame, as Helidon counts it (docs/helidon.md); its frames are no HTTP/1.1 header. */
    @Override
    public void http2(Object handler) {
        HelidonConnection s = (HelidonConnection) registry.get(handler);
        if (s != null && s.protocol == null) {
            s.idleSinceMillis = System.currentTimeMillis();
            s.protocol = "h2";
            s.requestStartNanos = 0;
            s.waiting = false;
        }
    }

    /**
     * Helidon's own idle check, made here: each connection Helidon counts idle past its own timeout is closed as
     * Helidon closes it, and named an idle close, but for the HTTP/1.1 connections whose idle the agent governs.
     */
    @Override
    public boolean ownIdleCheck(Object connections, Object timeout) {
        try {
            long agentIdleMs = timeouts().idleMs;
            long ownMs = ((Duration) timeout).toMillis();
            for (Object connection : (List<?>) ((Supplier<?>) connections).get()) {
                HelidonApi api = HelidonApi.of(connection.getClass());
                if (api == null || !tracker.supports(api.version)) {
                    return false; // Helidon's own check, as it is
                }
                Object handler = api.handlerOf(connection);
                HelidonConnection s = handler == null ? null : (HelidonConnection) registry.find(handler);
                if (agentIdleMs > 0 && s != null && (s.protocol != null
                        || api.isHttp1(connection) && !api.upgraded(connection))) {
                    continue; // the agent's
                }
                long idle = api.idleMs(connection);
                // Helidon's own test, on its own clock
                if (idle > ownMs) {
                    if (s != null) {
                        s.mark(CloseEvent.SERVER_IDLE, s.waiting ? System.currentTimeMillis() - s.idleSinceMillis : idle);
                    }
                    api.closeIdle(connection);
                }
            }
            return true;
        } catch (Throwable t) {
            tracker.failed(t);
            return false;
        }
    }

    @Override
    public void closing(Object handler) {
        try {
            HelidonConnection s = (HelidonConnection) registry.remove(handler);
            if (s == null) {
                return;
            }
            if (serving.get() == s) {
                serving.remove();
            }
            if (metByReader.size() > 0) {
                metByReader.remove(s.api().reader(handler));
            }
            tracker.closed(s, s.api().stopping(s.listener), CloseEvent.SERVER,
                    s.waiting ? System.currentTimeMillis() - s.idleSinceMillis : 0, requests(handler, s));
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /** Its requests; HTTP/2's streams, read from Helidon's own count at the close (an Upgrade's first is its request). */
    private static long requests(Object handler, HelidonConnection s) throws ReflectiveOperationException {
        if (s.protocol == null) {
            return s.requests;
        }
        Object h2 = s.api().http2(handler);
        HelidonHttp2 http2 = h2 == null ? null : HelidonHttp2.of(h2.getClass());
        return http2 == null ? s.requests : Math.max(s.requests, http2.streams(h2));
    }

    /**
     * Closes each HTTP/1.1 connection waiting for a request the agent's idle or longer, as Helidon's check would; and
     * each HTTP/2 connection with no stream open and none of a stream's frames for the agent's idle (a stream seen open
     * by a sweep counts as a frame then: its response's end is not read here, and comes up to a sweep sooner).
     */
    void sweepIdle() {
        long idleMs = timeouts().idleMs;
        if (idleMs <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        registry.forEach((handler, state) -> {
            HelidonConnection s = (HelidonConnection) state;
            try {
                if (s.protocol != null) {
                    closeIdleHttp2(handler, s, idleMs);
                    return;
                }
                long waited = now - s.idleSinceMillis;
                if (!s.waiting || waited < idleMs) {
                    return;
                }
                Object http1 = s.api().http1(handler);
                // a connection met at an attach whose request began before the advice saw it is not waiting
                if (http1 != null && (!s.api().readingPrologue(http1) || s.api().upgraded(http1))) {
                    return;
                }
                if (s.mark(CloseEvent.SERVER_IDLE, waited)) {
                    if (http1 != null) {
                        s.api().closeIdle(http1);
                    } else {
                        close(handler, s);
                    }
                }
            } catch (Throwable t) {
                tracker.failed(t);
            }
        });
    }

    /**
     * An idle HTTP/2 connection ends as the other families end one: a GOAWAY naming its last stream, a grace for what
     * the peer sent before it, then Helidon's own close. Helidon's own idle close has no GOAWAY.
     */
    private static void closeIdleHttp2(Object handler, HelidonConnection s, long idleMs)
            throws ReflectiveOperationException {
        Object h2 = s.api().http2(handler);
        if (h2 == null) {
            return;
        }
        if (s.goAwayNanos != 0) {
            if (System.nanoTime() - s.goAwayNanos >= TimeUnit.MILLISECONDS.toNanos(GOAWAY_GRACE_MS)) {
                s.goAwayNanos = 0;
                s.api().closeIdle(h2);
            }
            return;
        }
        long now = System.currentTimeMillis();
        if (!s.api().noStreamOpen(h2)) {
            // a stream's response may end long after its last frame came in: the wait begins after, as the peer's
            s.idleSinceMillis = now;
            return;
        }
        long idle = now - s.idleSinceMillis;
        // and Helidon's own count (to the second) agrees: no stream it has seen since
        if (idle < idleMs || s.api().idleMs(h2) < idleMs - HELIDON_TICK_MS) {
            return;
        }
        if (s.mark(CloseEvent.SERVER_IDLE, idle)) {
            HelidonHttp2 http2 = HelidonHttp2.of(h2.getClass());
            if (http2 == null) {
                s.api().closeIdle(h2);
                return;
            }
            long sent = System.nanoTime();
            s.goAwayNanos = sent != 0 ? sent : 1;
            http2.goAway(h2);
        }
    }

    @Override
    public long headerStartNanos(Object handler, HelidonConnection s) {
        long start = s.requestStartNanos;
        return start == 0 || s.protocol != null ? NONE : start;
    }

    /** The advice times each request's first byte itself; Helidon times no read. */
    @Override
    public long timedHeaderReadTimeoutMs(Object handler, HelidonConnection s) {
        return 0;
    }

    @Override
    public long readTimeoutMs(Object handler, HelidonConnection s) {
        return -1;
    }

    @Override
    public void setReadTimeoutMs(Object handler, HelidonConnection s, long ms) {
    }

    /**
     * The socket closed under the connection's blocked read (its output shut first, so the peer sees a FIN): Helidon
     * has no close of its own for a header, and its socket's close may wait on the handshake's lock.
     */
    @Override
    public void close(Object handler, HelidonConnection s) throws Exception {
        SocketChannel channel = s.channel;
        try {
            channel.shutdownOutput();
        } catch (Exception e) {
            // closed already, or never connected: the close below is what matters
        }
        channel.close();
    }

    /**
     * At install: each listener running is met from its accepting thread, and its open connections with it (their
     * threads are virtual: not among the threads listed).
     */
    @Override
    public void meetRunning(RunningThreads threads) throws Exception {
        threads.forEach((thread, task) -> {
            Object listener = task == null ? null : captured(task, LISTENER);
            if (listener != null) {
                listeners.adopt(listener);
            }
        });
    }

    @Override
    public HelidonApi meet(Object listener) throws ReflectiveOperationException {
        HelidonApi api = HelidonApi.of(listener.getClass());
        if (api == null) {
            tracker.warnOnce("helidon " + listener.getClass().getName()
                    + ": its internals are not as outlast knows them (" + HelidonApi.missing(listener.getClass())
                    + "); left untouched");
            return null;
        }
        if (!tracker.supports(api.version)) {
            return null;
        }
        idleSweep.start();
        long own = api.ownIdleMs(listener);
        tracker.report(new EndpointReport(FAMILY, api.version, "server", api.address(listener), own,
                timeouts().idleMs > 0 ? timeouts().idleMs : own, -1, timeouts().headerMs));
        return api;
    }

    /** Its connections open now: waiting since Helidon last saw a request, if it waits for one. */
    @Override
    public void met(Object listener, HelidonApi api) throws Exception {
        for (Object[] open : api.openConnections(listener)) {
            if (registry.find(open[0]) == null) {
                track(open[0], open[1]);
            }
        }
    }

    private HelidonConnection track(Object handler, Object connection) throws Exception {
        HelidonApi api = HelidonApi.of(handler.getClass());
        Object listener = api == null ? null : api.listener(handler);
        if (listener == null || listeners.adopt(listener) == null) {
            return null;
        }
        long now = System.currentTimeMillis();
        HelidonConnection s = new HelidonConnection(api, listener, api.channel(handler), now);
        if (connection != null && api.isHttp1(connection)) {
            long last = api.lastRequestMillis(connection);
            if (last > 0) {
                // Helidon's clock is the time of its last tick, up to a second behind: the wait is dated no sooner
                s.idleSinceMillis = Math.min(now, last + 999);
            }
            metByReader.putIfAbsent(api.reader(handler), s);
            if (api.inHeader(connection)) {
                // begun before the agent: timed from now, the header deadline's first sight of it
                s.requestStartNanos = System.nanoTime();
                s.waiting = false;
            } else {
                s.waiting = api.readingPrologue(connection);
            }
        } else if (connection != null) {
            Object last = Reflection.readOrNull(connection, "lastRequestTimestamp");
            if (last instanceof ZonedDateTime) {
                s.idleSinceMillis = Math.min(now, ((ZonedDateTime) last).toInstant().toEpochMilli() + 999);
            }
            s.protocol = "h2";
            s.waiting = false;
        }
        return (HelidonConnection) registry.putIfAbsent(handler, s);
    }

    /** The object of the named class a task (a lambda or a runnable) holds, or null. */
    private static Object captured(Object task, String className) {
        for (Field f : task.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || !f.getType().getName().equals(className)) {
                continue;
            }
            try {
                f.setAccessible(true);
                return f.get(task);
            } catch (Exception | LinkageError e) {
                return null;
            }
        }
        return null;
    }

    /** A twentieth of idle, within 50-500 ms: closes that late at most. */
    static long sweepPeriodMs(long idleMs) {
        return Math.max(50, Math.min(500, idleMs / 20));
    }
}
