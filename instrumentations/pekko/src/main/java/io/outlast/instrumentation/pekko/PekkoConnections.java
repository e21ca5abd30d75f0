package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.Addresses;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.EndpointReport;
import io.outlast.family.HeaderPhase;
import io.outlast.family.LiveFamily;
import io.outlast.family.Timeouts;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pekko HTTP's server connections (HTTP/1.1) as the agent sees them. A connection is a stream graph over a TCP actor;
 * its stages are made in one materialization, which is how the agent ties its TCP actor (the key: addresses, closes),
 * its request parser (headers) and its idle stage together. Idle: Pekko's own {@code idle-timeout} stage, whose
 * deadline the agent moves to its idle at each of the stage's looks (once a second), so that Pekko's own timer closes.
 * Header: the agent's, from a request's first bytes to its start parsed, and from the accept to a TLS handshake's
 * end; while one arrives, the idle stage is held beyond its deadline.
 */
final class PekkoConnections extends PekkoHooks implements HeaderPhase<PekkoConnection>, LiveFamily {
    private static final String FAMILY = "pekko";
    private static final String INCOMING = "org.apache.pekko.io.TcpIncomingConnection";
    private static final String PEER_CLOSED = "org.apache.pekko.io.Tcp$PeerClosed$";
    private static final String ERROR_CLOSED = "org.apache.pekko.io.Tcp$ErrorClosed";
    private static final String ACTOR_SYSTEM = "org.apache.pekko.actor.ActorSystemImpl";
    private static final String IDLE_LOGIC = IdleTimeoutInstrumentation.STAGE + "$$anon$";
    /** The stage that picks HTTP/1.1 or HTTP/2 for a connection of a binding with HTTP/2 enabled. */
    private static final String PROTOCOL_SWITCH = "org.apache.pekko.http.impl.engine.http2.ProtocolSwitch";
    /** A stage met and found not to be an HTTP server connection's: remembered so, not looked at again. */
    private static final PekkoConnection NOT_OURS = new PekkoConnection(null, null, 0);
    /** Inside a materialization, nothing of a connection gathered yet. */
    private static final Object OPEN = new Object();
    /** Outside one: the next on this thread is an accepted connection's of a binding with HTTP/2 enabled. */
    private static final Object HTTP2_NEXT = new Object();
    /** A peer's close_notify this recent is its close's, not the end of its wait. */
    private static final long CLOSE_NOTIFY_MS = 100;
    /** How much before a GOAWAY's grace ends the stage's deadline is: its look a second after the GOAWAY then ends it. */
    private static final long GRACE_EARLY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Far enough for an idle stage never to fire: the HTTP/2 stack's own, timed by the connection's. */
    private static final long NEVER_NANOS = TimeUnit.DAYS.toNanos(1);
    /** How far a header under way holds the idle stage's deadline: beyond its next look (a second at most). */
    private static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final ClassValue<Method> CLOSED_EVENT = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                return type.getMethod("closedEvent");
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private final ConnectionTracker tracker;
    /** HTTP connections, by their TCP actor. */
    private final ConnectionRegistry registry;
    /** TCP connections accepted and not yet known to be HTTP ones (with their addresses), by their actor. */
    private final ConnectionRegistry accepted = new ConnectionRegistry();
    private final ConnectionRegistry byParser = new ConnectionRegistry();
    private final ConnectionRegistry byIdle = new ConnectionRegistry();
    private final ConnectionRegistry byTls = new ConnectionRegistry();
    /** On a thread materializing a graph: OPEN, or what it gathered of a connection; null outside one. */
    private final ThreadLocal<Object> gathering = new ThreadLocal<>();
    /** Each server address reported, with its version and own idle (ms), to report again when settings change. */
    private final Map<String, Object[]> servers = new ConcurrentHashMap<>();
    private final Set<Integer> stoppingPorts = ConcurrentHashMap.newKeySet();
    private volatile boolean stoppingAll;

    /** The stages of one connection's graph, as its materialization made them. */
    private static final class Gathered {
        Object tcpActor;
        Object tcpLogic;
        Object parser;
        Object idleLogic;
        Object tlsActor;
        Object demux;
        boolean http2Binding;
    }

    PekkoConnections(ConnectionTracker tracker) {
        this.tracker = tracker;
        this.registry = tracker.registry();
    }

    private Timeouts timeouts() {
        return tracker.timeouts();
    }

    @Override
    public Object materializing() {
        Object enclosing = gathering.get();
        if (enclosing == HTTP2_NEXT) {
            Gathered g = new Gathered();
            g.http2Binding = true;
            gathering.set(g);
            return null;
        }
        gathering.set(OPEN);
        return enclosing;
    }

    @Override
    public void http2ConnectionNext() {
        if (gathering.get() == null) {
            gathering.set(HTTP2_NEXT);
        }
    }

    @Override
    public void demuxMade(Object demux) {
        Gathered g = gathered();
        if (g != null) {
            g.demux = demux;
        }
    }

    @Override
    public void materialized(Object enclosing) {
        Object gathered = gathering.get();
        gathering.set(enclosing);
        if (gathered instanceof Gathered) {
            try {
                claim((Gathered) gathered);
            } catch (Throwable t) {
                tracker.failed(t);
            }
        }
    }

    /** What this thread's materialization gathers into; null outside one. */
    private Gathered gathered() {
        Object g = gathering.get();
        if (g == OPEN) {
            g = new Gathered();
            gathering.set(g);
        }
        return (Gathered) g;
    }

    @Override
    public void tcpConnected(Object actor, Object self, Object channel) {
        if (!actor.getClass().getName().equals(INCOMING)) {
            return;
        }
        try {
            SocketChannel ch = (SocketChannel) channel;
            accepted.putIfAbsent(self, new PekkoConnection(ch.getLocalAddress(), ch.getRemoteAddress(),
                    System.currentTimeMillis()));
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void tcpStage(Object logic, Object role) {
        try {
            Gathered g = gathered();
            PekkoApi api = g == null ? null : PekkoApi.of(logic.getClass());
            if (g != null && api == null) {
                unreadable(logic.getClass());
            }
            Object tcpActor = api == null ? null : api.inboundActor(role);
            if (tcpActor != null) {
                g.tcpActor = tcpActor;
                g.tcpLogic = logic;
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void parserMade(Object parser) {
        Gathered g = gathered();
        if (g != null) {
            g.parser = parser;
        }
    }

    @Override
    public void idleMade(Object logic) {
        Gathered g = gathered();
        if (g != null) {
            g.idleLogic = logic;
        }
    }

    @Override
    public void tlsMade(Object tlsActor) {
        Gathered g = gathered();
        if (g != null) {
            g.tlsActor = tlsActor;
        }
    }

    /**
     * A materialization that made a TCP stage of an accepted connection and a request parser (or, with HTTP/2 enabled,
     * the graph that will choose the protocol): a server connection. One inside a connection's stream that made a
     * parser or an HTTP/2 demultiplexer: the protocol that connection chose.
     */
    private void claim(Gathered g) throws ReflectiveOperationException {
        if (g.tcpActor == null) {
            if (g.parser != null || g.demux != null) {
                chose(g);
            }
            return;
        }
        if (g.parser == null && !g.http2Binding) {
            return;
        }
        PekkoApi api = PekkoApi.of(g.tcpLogic.getClass());
        if (api == null || !tracker.supports(api.version)) {
            return;
        }
        PekkoConnection s = (PekkoConnection) accepted.remove(g.tcpActor);
        if (s == null) {
            s = new PekkoConnection(null, api.remote(g.tcpLogic), System.currentTimeMillis());
        }
        if (g.tlsActor != null) {
            // the handshake is timed as a header, from the accept
            s.handshaking = true;
            s.headerStartNanos = nanoTime();
            byTls.putIfAbsent(g.tlsActor, s);
            s.tlsActor(g.tlsActor);
        }
        track(s, api, g.tcpActor, g.tcpLogic, g.parser, g.idleLogic);
    }

    /** Pekko HTTP is there, and the agent cannot read what it needs of it: said once, and the server left alone. */
    private void unreadable(Class<?> pekkoClass) {
        try {
            Class.forName(PekkoApi.PARSER, false, pekkoClass.getClassLoader());
            tracker.warnOnce(FAMILY + ": this Pekko HTTP's internals are not those outlast reads; left untouched");
        } catch (ClassNotFoundException | LinkageError e) {
            // Pekko without Pekko HTTP (remoting, a TCP server of its own): not a server of this family
        }
    }

    /** The protocol's stages, materialized on the thread of the connection's stream, which runs its TCP stage. */
    private void chose(Gathered g) throws ReflectiveOperationException {
        PekkoApi api = PekkoApi.of((g.parser != null ? g.parser : g.demux).getClass());
        Object tcpLogic = api == null ? null : api.runningTcpLogic();
        Object tcpActor = tcpLogic == null ? null : api.tcpActorOf(tcpLogic);
        PekkoConnection s = tcpActor == null ? null : (PekkoConnection) registry.get(tcpActor);
        if (s == null) {
            return;
        }
        if (g.parser != null) {
            byParser.putIfAbsent(g.parser, s);
        }
        if (g.demux != null && api.isServerDemux(g.demux)) {
            s.protocol = "h2";
            s.demux = new java.lang.ref.WeakReference<>(g.demux);
            if (g.idleLogic != null) {
                s.innerIdle = new java.lang.ref.WeakReference<>(g.idleLogic);
                byIdle.putIfAbsent(g.idleLogic, s);
            }
        }
    }

    private PekkoConnection track(PekkoConnection s, PekkoApi api, Object tcpActor, Object tcpLogic, Object parser,
                                  Object idleLogic) throws ReflectiveOperationException {
        s.api = api;
        s.tcpLogic(tcpLogic);
        if (idleLogic != null) {
            s.ownIdleNanos = api.ownIdleNanos(idleLogic);
            s.idleLogic(idleLogic);
            byIdle.putIfAbsent(idleLogic, s);
        }
        if (parser != null) {
            byParser.putIfAbsent(parser, s);
        }
        PekkoConnection registered = (PekkoConnection) registry.putIfAbsent(tcpActor, s);
        if (registered != s) {
            return registered;
        }
        report(s, api);
        return s;
    }

    /**
     * A stage of a connection whose graph was made before the agent came (or that the agent has not seen yet): its
     * island holds the connection's TCP stage and, for an HTTP server's, its request parser.
     */
    private PekkoConnection meet(Object logic, ConnectionRegistry cache) {
        try {
            PekkoApi api = PekkoApi.of(logic.getClass());
            Object tcpLogic = null;
            Object parser = null;
            Object idleLogic = null;
            boolean http2 = false;
            for (Object l : api == null ? new Object[0] : api.island(logic)) {
                String name = l == null ? "" : l.getClass().getName();
                if (api.isTcpLogic(l)) {
                    tcpLogic = l;
                } else if (name.equals(PekkoApi.PARSER)) {
                    parser = l;
                } else if (name.startsWith(IDLE_LOGIC) && name.indexOf('$', IDLE_LOGIC.length()) < 0) {
                    idleLogic = l;
                } else if (name.startsWith(PROTOCOL_SWITCH)) {
                    http2 = true;
                }
            }
            Object tcpActor = tcpLogic == null ? null : api.tcpActorOf(tcpLogic);
            if (tcpActor != null && parser == null && http2) {
                SocketChannel channel = PekkoApi.channelOf(tcpActor);
                tracker.warnOnce(FAMILY + " " + api.version + " server " + (channel == null ? "?"
                        : Addresses.format(channel.getLocalAddress())) + " has HTTP/2 enabled (enable-http2): its"
                        + " connections open before the agent are left to their own idle-timeout; later ones are governed");
            }
            if (tcpActor == null || parser == null || !tracker.supports(api.version)) {
                cache.putIfAbsent(logic, NOT_OURS);
                return NOT_OURS;
            }
            PekkoConnection s = (PekkoConnection) registry.get(tcpActor);
            if (s != null) {
                cache.putIfAbsent(logic, s);
                return s;
            }
            SocketChannel channel = PekkoApi.channelOf(tcpActor);
            InetSocketAddress remote = api.remote(tcpLogic);
            // open at least since its last byte, as its idle stage counts it
            long quietMs = idleLogic == null ? 0 : Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                    - (api.nextDeadline(idleLogic) - api.ownIdleNanos(idleLogic))));
            s = new PekkoConnection(channel == null ? null : channel.getLocalAddress(), remote,
                    System.currentTimeMillis() - quietMs);
            if (api.inHeader(parser)) {
                // a header begun before the agent came: from its latest bytes, as the idle stage dates them
                s.headerStartNanos = nanoTime() - TimeUnit.MILLISECONDS.toNanos(quietMs);
            }
            return track(s, api, tcpActor, tcpLogic, parser, idleLogic);
        } catch (Throwable t) {
            tracker.failed(t);
            cache.putIfAbsent(logic, NOT_OURS);
            return NOT_OURS;
        }
    }

    private PekkoConnection ofParser(Object parser) {
        PekkoConnection s = (PekkoConnection) byParser.get(parser);
        return s != null ? s : meet(parser, byParser);
    }

    @Override
    public void requestBytes(Object parser) {
        PekkoConnection s = ofParser(parser);
        if (s != NOT_OURS) {
            s.bytesNanos = nanoTime();
        }
    }

    /**
     * After the parser's work on bytes (or a pull): a request's start counts one, and whether it holds part of a header
     * now (a header begun, or the next one behind a request in the same bytes) starts or ends the header's time.
     */
    @Override
    public void parsed(Object parser, Object output) {
        try {
            PekkoConnection s = ofParser(parser);
            PekkoApi api = s.api;
            if (s == NOT_OURS || api == null) {
                return;
            }
            if (api.isRequestStart(output)) {
                s.requests++;
            }
            if (api.inHeader(parser)) {
                if (s.headerStartNanos == 0) {
                    s.headerStartNanos = s.bytesNanos != 0 ? s.bytesNanos : nanoTime();
                }
            } else if (!s.handshaking) {
                s.headerStartNanos = 0;
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void handshakeDone(Object tlsActor) {
        PekkoConnection s = (PekkoConnection) byTls.get(tlsActor);
        if (s != null && s.handshaking) {
            s.handshaking = false;
            s.headerStartNanos = 0;
        }
    }

    @Override
    public void tlsClosing(Object tlsActor) {
        PekkoConnection s = (PekkoConnection) byTls.get(tlsActor);
        if (s != null) {
            s.mark(CloseEvent.SERVER, idleMs(s));
        }
    }

    @Override
    public long idleDeadline(Object logic, Object stage, long nextDeadline) {
        try {
            PekkoConnection s = (PekkoConnection) byIdle.get(logic);
            if (s == null) {
                s = meet(logic, byIdle);
            }
            long own = s.ownIdleNanos;
            if (s == NOT_OURS || own < 0) {
                return nextDeadline;
            }
            long now = System.nanoTime();
            long idleMs = timeouts().idleMs;
            if (logic == s.innerIdle()) {
                // the HTTP/2 stack's own idle stage: the connection's times it
                return idleMs > 0 ? now + NEVER_NANOS : nextDeadline;
            }
            // the stage counts from its last element, plus its own timeout; unless the agent gave this deadline
            long last = nextDeadline == s.givenDeadline ? s.lastActivityNanos : nextDeadline - own;
            s.lastActivityNanos = last;
            long due = last + (idleMs > 0 ? TimeUnit.MILLISECONDS.toNanos(idleMs) : own);
            if (s.headerStartNanos != 0 && due - (now + HOLD_NANOS) < 0) {
                // a header (or a handshake) under way ends by the header deadline, not by the idle
                due = now + HOLD_NANOS;
            }
            Object demux = s.demux();
            if (s.goAwayNanos != 0) {
                // after its GOAWAY, Pekko closes once no stream is open; over TLS it waits for the peer: the agent
                // closes (a FIN) at the grace's end, at the look a second after the GOAWAY's
                long graceEnd = s.goAwayNanos + TimeUnit.MILLISECONDS.toNanos(timeouts().h2CloseGraceMs())
                        - GRACE_EARLY_NANOS;
                if (graceEnd - now < 0 && !s.closeAsked) {
                    s.closeAsked = true;
                    Object tcpLogic = s.tcpLogic();
                    if (tcpLogic != null) {
                        s.api.close(s.api.tcpActorOf(tcpLogic), s.api.stageActor(tcpLogic));
                    }
                }
                due = now + HOLD_NANOS;
            } else if (due - now < 0 && demux != null && idleMs > 0) {
                // HTTP/2 ends by Pekko's own terminator: a GOAWAY, then the close once no stream is open
                s.goAwayNanos = nanoTime();
                s.mark(CloseEvent.SERVER_IDLE, TimeUnit.NANOSECONDS.toMillis(now - last));
                s.api.terminate(demux, timeouts().h2CloseGraceMs());
                due = now + TimeUnit.MILLISECONDS.toNanos(timeouts().h2CloseGraceMs()) - GRACE_EARLY_NANOS;
            } else if (due - now < 0) {
                // the stage fails at this look: its close is the idle's
                s.mark(CloseEvent.SERVER_IDLE, TimeUnit.NANOSECONDS.toMillis(now - last));
            }
            s.givenDeadline = due;
            return due;
        } catch (Throwable t) {
            tracker.failed(t);
            return nextDeadline;
        }
    }

    @Override
    public void tcpCloseAsked(Object self, Object closedEvent) {
        if (closedEvent != null && closedEvent.getClass().getName().equals(PEER_CLOSED)) {
            PekkoConnection s = (PekkoConnection) registry.get(self);
            if (s == null) {
                return;
            }
            Object tls = s.tlsActor();
            if (tls == null) {
                s.mark(CloseEvent.PEER, idleMs(s));
            } else if (PekkoApi.closedOutboundOnly(tls)) {
                // the peer's FIN answers the server's close_notify: the server closed first
                s.mark(CloseEvent.SERVER, idleMs(s));
            } else {
                // the peer's own close_notify came just before its FIN: its wait is dated from the idle stage's
                // last look (a second ago at most), which saw the bytes before it
                long idleMs = idleMs(s);
                long lookedMs = s.lastActivityNanos == 0 ? idleMs
                        : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.lastActivityNanos);
                s.mark(CloseEvent.PEER, idleMs < CLOSE_NOTIFY_MS ? lookedMs : idleMs);
            }
        }
    }

    @Override
    public void tcpStopping(Object self, Object closeInformation) {
        try {
            accepted.remove(self);
            PekkoConnection s = (PekkoConnection) registry.remove(self);
            if (s == null) {
                return;
            }
            Method event = CLOSED_EVENT.get(closeInformation.getClass());
            Object closedEvent = event == null ? null : event.invoke(closeInformation);
            if (closedEvent != null && closedEvent.getClass().getName().equals(ERROR_CLOSED)) {
                s.mark(CloseEvent.ERROR, idleMs(s));
            }
            closed(s);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void tcpStopped(Object self) {
        accepted.remove(self);
        PekkoConnection s = (PekkoConnection) registry.remove(self);
        if (s != null) {
            closed(s);
        }
    }

    private void closed(PekkoConnection s) {
        boolean stopping = stoppingAll || stoppingPorts.contains(Addresses.port(s.localPacked(), s.local()));
        long requests = s.requests;
        Object demux = s.demux();
        if (demux != null) {
            try {
                requests = s.api.streams(demux);
            } catch (Throwable t) {
                tracker.failed(t);
            }
        }
        tracker.closed(s, stopping, CloseEvent.SERVER, ConnectionTracker.readsUnmarked(s, stopping) ? idleMs(s) : 0,
                requests);
    }

    /** How long the connection has gone without a byte either way, as its idle stage counts. */
    private long idleMs(PekkoConnection s) {
        try {
            Object logic = s.idleLogic();
            if (logic == null || s.ownIdleNanos < 0) {
                return 0;
            }
            long next = s.api.nextDeadline(logic);
            long last = next == s.givenDeadline ? s.lastActivityNanos : next - s.ownIdleNanos;
            return Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last));
        } catch (Throwable t) {
            return 0;
        }
    }

    @Override
    public void stopping(Object what) {
        try {
            if (what.getClass().getName().equals(ACTOR_SYSTEM)) {
                stoppingAll = true;
            } else {
                Object address = what.getClass().getMethod("localAddress").invoke(what);
                stoppingPorts.add(Addresses.port(address));
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /** A server address, reported once at its first connection (Pekko has no server object the agent meets first). */
    private void report(PekkoConnection s, PekkoApi api) {
        Object local = s.local();
        String address = local != null || s.localPacked() != 0 ? Addresses.format(s.localPacked(), local) : "?";
        long ownMs = s.ownIdleNanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(s.ownIdleNanos);
        if (servers.putIfAbsent(address, new Object[] {api.version, ownMs}) == null) {
            report(address, api.version, ownMs);
        }
    }

    private void report(String address, String version, long ownMs) {
        long idleMs = timeouts().idleMs;
        if (ownMs < 0 && idleMs > 0) {
            tracker.warnOnce(FAMILY + ": " + address + " has no idle-timeout (infinite): outlast's idle needs Pekko's"
                    + " own idle stage to time it, and is not applied there");
        }
        tracker.report(new EndpointReport(FAMILY, version, "server", address, ownMs,
                idleMs > 0 && ownMs >= 0 ? idleMs : ownMs, -1, timeouts().headerMs));
    }

    @Override
    public void reconfigured() {
        // connections take the settings at their next look; the servers are reported with them
        servers.forEach((address, known) -> report(address, (String) known[0], (Long) known[1]));
    }

    @Override
    public long headerStartNanos(Object connection, PekkoConnection s) {
        long start = s.headerStartNanos;
        return start == 0 ? NONE : start;
    }

    /** Every header's first bytes are timed by the parser's hook; Pekko has no read timeout of its own. */
    @Override
    public long timedHeaderReadTimeoutMs(Object connection, PekkoConnection s) {
        return 0;
    }

    /** No read timeout to hold: the idle stage is held by {@link #idleDeadline} instead. */
    @Override
    public long readTimeoutMs(Object connection, PekkoConnection s) {
        return 0;
    }

    @Override
    public void setReadTimeoutMs(Object connection, PekkoConnection s, long ms) {
    }

    /**
     * Asked of the TCP actor as its stage asks when the stream fails, which is how Pekko's own idle ends a connection
     * (a reset): a FIN would end the stream's input mid-request, and Pekko would answer a 400 and log a bad request.
     */
    @Override
    public void close(Object tcpActor, PekkoConnection s) throws Exception {
        Object tcpLogic = s.tcpLogic();
        s.api.abort(tcpActor, tcpLogic == null ? null : s.api.stageActor(tcpLogic));
    }

    private static long nanoTime() {
        long now = System.nanoTime();
        return now != 0 ? now : 1;
    }
}
