package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.ConnectionState;
import io.outlast.bootstrap.UndertowHooks;
import io.outlast.family.Addresses;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.EndpointReport;
import io.outlast.family.HeaderDeadline;
import io.outlast.family.HeaderPhase;
import io.outlast.family.LiveFamily;
import io.outlast.family.RunningThreads;
import io.outlast.family.Timeouts;

import java.io.Closeable;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Undertow's connections as the agent sees them. Undertow has both timers (NO_REQUEST_TIMEOUT and, from
 * a request's first incomplete read, REQUEST_PARSE_TIMEOUT) in one updater per connection: the agent
 * replaces what it arms, so Undertow itself enforces idle and header, on time. Its parse timer starts with the
 * first decrypted byte: a TLS handshake under way is timed by the agent's header deadline instead.
 */
final class UndertowConnections extends UndertowHooks implements LiveFamily, HeaderPhase<UndertowConnection> {
    private static final String FAMILY = "undertow";
    private static final long UNDERTOW_DEFAULT_IDLE_MS = 60_000;

    private final ConnectionTracker tracker;
    private final ConnectionRegistry registry;
    private final Set<String> reported = Collections.synchronizedSet(new HashSet<>());
    /** The local addresses of connections seen: a listener's line is looked for at its first only. */
    private final Set<Object> localsSeen = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Object> reading = new ThreadLocal<>();
    /** The HTTP/2 channel whose GOAWAY this thread is sending. */
    private final ThreadLocal<Object> sendingGoAway = new ThreadLocal<>();
    private volatile boolean stopping;
    /** The sweep of handshakes and of HTTP/2 headers, started by the first HTTPS or HTTP/2 connection. */
    private final HeaderDeadline<UndertowConnection> handshakes;
    private final AtomicBoolean handshakesSwept = new AtomicBoolean();
    private final UndertowDrain drain;

    UndertowConnections(ConnectionTracker tracker) {
        this.tracker = tracker;
        this.registry = tracker.registry();
        this.handshakes = new HeaderDeadline<>(tracker, this);
        this.drain = new UndertowDrain(tracker, this);
    }

    /** The settings whose values are counted in the shortest below already. */
    private volatile Timeouts counted;
    /** The shortest parse and idle timeouts this agent may have armed a timer with: left to the next at a reset. */
    private volatile long shortestParseMs = Long.MAX_VALUE;
    private volatile long shortestIdleMs = Long.MAX_VALUE;

    /**
     * The timeouts in force, read each time: an attach may change them while the server runs. Every value the agent
     * may arm a timer with is counted before it is first used, once per change of settings.
     */
    private Timeouts timeouts() {
        Timeouts t = tracker.timeouts();
        if (t != counted) {
            synchronized (this) {
                if (t.headerMs > 0 && t.headerMs < shortestParseMs) {
                    shortestParseMs = t.headerMs;
                }
                if (t.idleMs > 0 && t.idleMs < shortestIdleMs) {
                    shortestIdleMs = t.idleMs;
                }
                counted = t;
            }
        }
        return t;
    }

    /**
     * The agent is reset: its timers keep their deadlines until they fire, so what they were armed with is left in the
     * bootstrap loader for the next agent ({@link #armedWith}). Left only now, not while this agent runs: this agent's
     * own timers all have its record, and a timer without one was armed by Undertow or by an earlier agent.
     */
    void leave() {
        UndertowHooks.armed(true, shortestParseMs);
        UndertowHooks.armed(false, shortestIdleMs);
    }

    @Override
    public void meetRunning(RunningThreads threads) throws Exception {
        UndertowRunning.rearm(threads, tracker);
        drain.met(UndertowRunning.listening(threads));
    }

    @Override
    public void prepare(RunningThreads threads) throws Exception {
        UndertowRunning.prepare(threads);
    }

    @Override
    public void started(Object undertow) {
        stopping = false;
        try {
            UndertowApi api = UndertowApi.of(undertow.getClass());
            if (api == null) {
                tracker.warnOnce("undertow: its class loader lacks part of Undertow's API as outlast knows it ("
                        + UndertowApi.missing(undertow.getClass()) + "); left untouched");
                return;
            }
            if (!tracker.supports(api.version)) {
                return;
            }
            Object options = api.serverOptions(undertow);
            for (Object listener : api.listeners(undertow)) {
                report(api, api.listenerAddress(listener), options, true);
            }
            drain.started(undertow);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void stopping(Object undertow) {
        try {
            drain.stopping(undertow);
        } catch (Throwable t) {
            tracker.failed(t);
        }
        stopping = true;
    }

    @Override
    public void requestStarting(Object exchange) {
        try {
            drain.requestStarting(exchange);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void drainAtExit() throws Exception {
        drain.drainAll();
    }

    @Override
    public void gracefulShutdown() {
        try {
            drain.drainAll();
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public long schedule(Object connection, boolean parsing, long timeoutMs) {
        try {
            UndertowConnection s = track(connection);
            if (s == null) {
                return timeoutMs;
            }
            if (parsing) {
                if (s.requestStartNanos == 0) {
                    s.requestStartNanos = System.nanoTime();
                }
                return ours(timeouts().headerMs, timeoutMs);
            }
            s.requestStartNanos = 0;
            s.idleSinceMillis = System.currentTimeMillis();
            return ours(timeouts().idleMs, timeoutMs);
        } catch (Throwable t) {
            tracker.failed(t);
            return timeoutMs;
        }
    }

    @Override
    public Object updater(Object connection, Object updater) {
        try {
            // followed from its start: a drain waits for a connection whose first request is under way too (its
            // timer is first armed only after it)
            track(connection);
        } catch (Throwable t) {
            tracker.failed(t);
        }
        if (updater != null || (timeouts().idleMs <= 0 && timeouts().headerMs <= 0)) {
            return updater;
        }
        try {
            UndertowApi api = UndertowApi.of(connection.getClass());
            if (api == null || !tracker.supports(api.version)) {
                return null;
            }
            // both of Undertow's timeouts unset: no timer at all, so the agent brings one
            return api.newUpdater(connection, timeouts().headerMs, timeouts().idleMs);
        } catch (Throwable t) {
            tracker.failed(t);
            return null;
        }
    }

    @Override
    public void requestParsed(Object connection) {
        UndertowConnection s = (UndertowConnection) registry.get(connection);
        if (s == null && UndertowHttp2.is(connection)) {
            // an HTTP/2 channel's first stream comes before its timer's first arming
            try {
                s = track(connection);
            } catch (Throwable t) {
                tracker.failed(t);
            }
        }
        if (s != null) {
            s.requestStartNanos = 0;
            s.requests++;
        }
    }

    @Override
    public long expiring(Object connection, boolean parsing, long expireTime, long ownIdle, long ownParse) {
        try {
            UndertowConnection s = (UndertowConnection) registry.get(connection);
            if (s == null) {
                // armed before the agent arrived, with Undertow's own value: moved to the agent's, once
                s = track(connection);
                if (s == null) {
                    return expireTime;
                }
                long own = armedWith(parsing, parsing ? ownParse : ownIdle);
                if (!parsing && expireTime > 0 && own > 0) {
                    s.idleSinceMillis = expireTime - own;
                }
                expireTime = moved(expireTime, own, parsing ? timeouts().headerMs : timeouts().idleMs);
            } else if (!parsing && timeouts().idleMs > 0 && expireTime > 0) {
                // armed with the agent's value of its time: settings changed since then take over
                expireTime = s.idleSinceMillis + timeouts().idleMs;
            }
            if (expireTime > 0 && expireTime <= System.currentTimeMillis()) {
                s.mark(parsing ? CloseEvent.SERVER_HEADER : CloseEvent.SERVER_IDLE,
                        parsing ? 0 : System.currentTimeMillis() - s.idleSinceMillis);
            }
            return expireTime;
        } catch (Throwable t) {
            tracker.failed(t);
            return expireTime;
        }
    }

    /** The agent's value where it has one, else Undertow's. */
    private static long ours(long ours, long own) {
        return ours > 0 ? ours : own;
    }

    /**
     * What a timer met without the agent's record of it was armed with: Undertow's own value, or an earlier agent's in
     * this JVM (before a reset) where shorter. Where it cannot tell, the shorter dates the wait later: a close
     * later than due, never earlier (a timer Undertow armed itself after the reset keeps Undertow's deadline).
     */
    static long armedWith(boolean parsing, long own) {
        long agents = UndertowHooks.armedMs(parsing);
        return own > 0 && agents < own ? agents : own;
    }

    /**
     * A timer Undertow armed with its own value ({@code own}), moved to the agent's ({@code ours}) counted from
     * the same start; left as it is where either is unset, or nothing is armed.
     */
    static long moved(long expireTime, long own, long ours) {
        return expireTime > 0 && own > 0 && ours > 0 ? expireTime - own + ours : expireTime;
    }

    @Override
    public void reading(Object connection) {
        reading.set(connection);
    }

    @Override
    public void readDone() {
        reading.remove();
    }

    @Override
    public void readFailed(Object connection, int result) {
        UndertowConnection s = (UndertowConnection) registry.get(connection);
        if (s != null && result == -1) {
            s.mark(CloseEvent.PEER, s.requestStartNanos != 0 ? 0 : System.currentTimeMillis() - s.idleSinceMillis);
        }
    }

    @Override
    public void cleanClose() {
        Object connection = reading.get();
        UndertowConnection s = connection == null ? null : (UndertowConnection) registry.get(connection);
        if (s != null) {
            s.mark(CloseEvent.SERVER, 0);
        }
    }

    @Override
    public void closed(Object connection) {
        try {
            UndertowConnection s = (UndertowConnection) registry.remove(connection);
            if (s == null) {
                // null too for an h2c connection: its HTTP/2 channel, which took the socket over, reports the end
                s = newState(connection);
                if (s == null) {
                    return;
                }
            }
            // the reading thread closes on a failed read (the peer's FIN and a server close after a response
            // are marked before): a reset, among others
            String unmarked = reading.get() == connection ? CloseEvent.ERROR : CloseEvent.SERVER;
            tracker.closed(s, closedByStop(connection, s), unmarked,
                    s.requestStartNanos != 0 ? 0 : System.currentTimeMillis() - s.idleSinceMillis, s.requests);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /**
     * An HTTP/2 channel's end (its close task closes its timer; an HTTP/1.1 connection's end is its close setter's):
     * marked by the timer's expiry (idle, header), else the peer's if it had read the end of the stream.
     */
    @Override
    public void updaterClosed(Object connection) {
        try {
            if (!UndertowHttp2.is(connection)) {
                return;
            }
            UndertowConnection s = (UndertowConnection) registry.remove(connection);
            if (s == null) {
                return;
            }
            UndertowHttp2 h2 = UndertowHttp2.of(connection);
            String unmarked = h2 != null && h2.readEnded(connection) ? CloseEvent.PEER : CloseEvent.SERVER;
            tracker.closed(s, closedByStop(connection, s), unmarked, s.requestStartNanos != 0 ? 0 : System.currentTimeMillis() - s.idleSinceMillis,
                    h2 != null ? h2.streams(connection) : s.requests);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /** Closed as its server stops: by {@code Undertow.stop}, or with its worker (WildFly stops those itself). */
    private boolean closedByStop(Object connection, UndertowConnection s) {
        if (stopping) {
            return true;
        }
        try {
            return api(s).workerShutDown(connection);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** The API the state was made with, whatever else it keeps. */
    private static UndertowApi api(UndertowConnection s) {
        return s.support instanceof UndertowAlpn ? ((UndertowAlpn) s.support).api
                : s.support instanceof UndertowTls ? ((UndertowTls) s.support).api : (UndertowApi) s.support;
    }

    @Override
    public void sendingGoAway(Object channel) {
        sendingGoAway.set(channel);
    }

    @Override
    public void sentGoAway() {
        sendingGoAway.remove();
    }

    /**
     * An HTTP/2 channel whose idle ran out (the agent's idle in force): its GOAWAY is out, and the close that
     * {@code sendGoAway} makes as soon as it is written is skipped. Closed so, a stream the proxy sent meanwhile reaches
     * a closed socket (a reset, which can discard the GOAWAY unread); open, Undertow reads it, and (writing nothing
     * after its GOAWAY) ends the connection cleanly, or closes 2 s after the GOAWAY. Any other close goes ahead.
     */
    @Override
    public boolean keepOpen(Object channel, boolean afterGoAway) {
        if (!afterGoAway && sendingGoAway.get() != channel) {
            return false;
        }
        UndertowConnection s = timeouts().idleMs > 0 ? (UndertowConnection) registry.get(channel) : null;
        return s != null && CloseEvent.SERVER_IDLE.equals(s.closer());
    }

    private UndertowConnection track(Object connection) throws ReflectiveOperationException {
        UndertowConnection s = (UndertowConnection) registry.get(connection);
        if (s != null) {
            return s;
        }
        s = newState(connection);
        return s == null ? null : (UndertowConnection) registry.putIfAbsent(connection, s);
    }

    private UndertowConnection newState(Object connection) throws ReflectiveOperationException {
        UndertowApi api = UndertowApi.of(connection.getClass());
        if (api == null || !tracker.supports(api.version)) {
            return null;
        }
        if (UndertowHttp2.is(connection)) {
            // its listener is reported by its HTTP/1.1 connections and at start: an HTTP/2 channel has no options
            UndertowHttp2 h2 = UndertowHttp2.of(connection);
            Object handedOverBy = h2 == null ? null : h2.handedOverBy(connection);
            // h2c: one connection, not two; its age from its first byte, its streams counted by their numbers
            ConnectionState http11 = handedOverBy == null ? null : registry.remove(handedOverBy);
            UndertowConnection s = new UndertowConnection(api, FAMILY, api.local(connection), api.remote(connection),
                    http11 != null ? http11.openedMillis : System.currentTimeMillis());
            s.protocol = "h2";
            if (handshakesSwept.compareAndSet(false, true)) {
                handshakes.start();
            }
            return s;
        }
        UndertowHttp2 h2 = UndertowHttp2.of(connection);
        if (h2 != null && h2.handedOver(connection)) {
            // h2c: its socket is its HTTP/2 channel's now, whose entry this connection's was
            return null;
        }
        Object local = api.local(connection);
        if (localsSeen.add(local)) {
            report(api, Addresses.format(local), api.connectionOptions(connection), false);
        }
        Object tls = api.tlsChannel(connection);
        if (tls != null && handshakesSwept.compareAndSet(false, true)) {
            handshakes.start();
        }
        return new UndertowConnection(tls == null ? api : new UndertowTls(api, tls), FAMILY, local,
                api.remote(connection), System.currentTimeMillis());
    }

    /**
     * Followed only while ALPN chooses its protocol, and only while a header deadline is set: that is what times
     * it ({@link #headerStartNanos}); from its handshake's end its HTTP/1.1 connection or HTTP/2 channel is followed.
     */
    @Override
    public void alpnOpened(Object channel) {
        try {
            if (timeouts().headerMs <= 0) {
                return;
            }
            UndertowApi api = UndertowApi.of(channel.getClass());
            if (api == null || !tracker.supports(api.version)) {
                return;
            }
            registry.putIfAbsent(channel, new UndertowConnection(new UndertowAlpn(api, System.nanoTime()), FAMILY,
                    api.local(channel), api.remote(channel), System.currentTimeMillis()));
            if (handshakesSwept.compareAndSet(false, true)) {
                handshakes.start();
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /**
     * Over TLS the request's first byte is the handshake's, which Undertow's parse timer does not see: before
     * the first request, a handshake under way is a header arriving, first seen by the sweep. Before ALPN has chosen
     * a protocol, nothing of Undertow's times the connection at all (it waited 20 s and more in a test): it is a header
     * from its accept on, so that neither a stalled handshake nor a socket that never sends outlasts the deadline.
     */
    @Override
    public long headerStartNanos(Object connection, UndertowConnection s) throws ReflectiveOperationException {
        if (s.support instanceof UndertowAlpn) {
            UndertowAlpn alpn = (UndertowAlpn) s.support;
            if (alpn.api.choosingProtocol(connection)) {
                return alpn.acceptedNanos;
            }
            // its protocol's connection is followed from here; a close before it was not the server's
            registry.remove(connection);
            return NONE;
        }
        if ("h2".equals(s.protocol)) {
            UndertowHttp2 h2 = UndertowHttp2.of(connection);
            return h2 != null && h2.headerArriving(connection) ? UNTIMED : NONE;
        }
        if (!(s.support instanceof UndertowTls) || s.requests != 0 || s.requestStartNanos != 0) {
            return NONE;
        }
        UndertowTls tls = (UndertowTls) s.support;
        return tls.api.handshaking(tls.channel) ? UNTIMED : NONE;
    }

    /** Only a TLS handshake is the sweep's to time: none comes once a request has begun. */
    @Override
    public long timedHeaderReadTimeoutMs(Object connection, UndertowConnection s) {
        return s.support instanceof UndertowAlpn || "h2".equals(s.protocol)
                || (s.support instanceof UndertowTls && s.requests == 0 && s.requestStartNanos == 0)
                ? -1 : 0;
    }

    @Override
    public long readTimeoutMs(Object connection, UndertowConnection s) {
        return -1; // the idle timer Undertow armed at the connection's start: left as it is
    }

    @Override
    public void setReadTimeoutMs(Object connection, UndertowConnection s, long ms) {
    }

    /** On the connection's I/O thread, as Undertow closes on its own timeouts. */
    @Override
    public void close(Object connection, UndertowConnection s) throws ReflectiveOperationException {
        boolean alpn = s.support instanceof UndertowAlpn;
        if (alpn) {
            registry.remove(connection);
        }
        api(s).ioThread(connection).execute(() -> {
            try {
                ((Closeable) connection).close();
            } catch (Exception e) {
                tracker.failed(e);
            }
        });
        if (alpn) {
            // no HTTP connection yet, so no close setter to say it: said here
            tracker.closed(s, closedByStop(connection, s), CloseEvent.SERVER, 0, 0);
        }
    }

    /**
     * One line per listener, at start or (after an attach) at its first connection. The builder's options
     * lack the 60 s idle default that {@code Undertow.start()} adds; a connection's options have it.
     */
    private void report(UndertowApi api, String address, Object options, boolean builderOptions)
            throws ReflectiveOperationException {
        if (!reported.add(address)) {
            return;
        }
        long idle = api.idleMs(options);
        if (idle < 0 && builderOptions) {
            idle = UNDERTOW_DEFAULT_IDLE_MS;
        }
        long parse = api.parseMs(options);
        tracker.report(new EndpointReport(FAMILY, api.version, "listener", address, idle,
                timeouts().idleMs > 0 ? timeouts().idleMs : idle, parse, timeouts().headerMs > 0 ? timeouts().headerMs : parse));
    }
}
