package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.family.Addresses;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.EndpointReport;
import io.outlast.family.HeaderPhase;
import io.outlast.family.LiveFamily;
import io.outlast.family.Reflection;
import io.outlast.family.Timeouts;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pekko HTTP's (or Akka HTTP's) server connections as the agent sees them. A connection is a stream graph over a TCP
 * actor; its stages are made in one materialization, which is how the agent ties its TCP actor (the key: addresses,
 * closes), its request parser (headers) and its idle stage together. Idle: Pekko's own {@code idle-timeout} stage,
 * whose deadline the agent moves to its idle at each of the stage's looks (once a second), so that Pekko's own timer
 * closes.
 * Header: the agent's, from a request's first bytes to its start parsed, and from the accept to a TLS handshake's
 * end; while one arrives, the idle stage is held beyond its deadline.
 */
final class PekkoConnections implements HeaderPhase<PekkoConnection>, LiveFamily {
    /** A stage met and found not to be an HTTP server connection's: remembered so, not looked at again. */
    private static final PekkoConnection NOT_OURS = new PekkoConnection("", null, null, 0);
    /** A peer's close_notify this recent is its close's, not the end of its wait. */
    private static final long CLOSE_NOTIFY_MS = 100;
    /** How much before a GOAWAY's grace ends the stage's deadline is: its look a second after the GOAWAY ends it. */
    private static final long GRACE_EARLY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Far enough for an idle stage never to fire: the HTTP/2 stack's own, timed by the connection's. */
    private static final long NEVER_NANOS = TimeUnit.DAYS.toNanos(1);
    /** How far a header under way holds the idle stage's deadline: beyond its next look (a second at most). */
    private static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final ClassValue<Method> CLOSED_EVENT = Reflection.publicMethodPerClass("closedEvent");

    private final ConnectionTracker tracker;
    /** HTTP connections, by their TCP actor. */
    private final ConnectionRegistry registry;
    /** TCP connections accepted and not yet known to be HTTP ones (with their addresses), by their actor. */
    private final ConnectionRegistry accepted = new ConnectionRegistry();
    private final ConnectionRegistry byParser = new ConnectionRegistry();
    private final ConnectionRegistry byIdle = new ConnectionRegistry();
    private final ConnectionRegistry byTls = new ConnectionRegistry();
    /** Each server address reported, with its version and own idle (ms), to report again when settings change. */
    private final Map<String, Object[]> servers = new ConcurrentHashMap<>();
    private final Set<Integer> stoppingPorts = ConcurrentHashMap.newKeySet();
    private volatile boolean stoppingAll;

    private final String family;
    private final String incoming;
    private final String peerClosed;
    private final String errorClosed;
    private final String actorSystem;
    private final String idleLogicPrefix;
    private final String parserName;
    private final String protocolSwitch;

    PekkoConnections(ConnectionTracker tracker, Lineage lineage) {
        this.tracker = tracker;
        this.registry = tracker.registry();
        this.family = lineage.family;
        this.incoming = lineage.type("io.TcpIncomingConnection");
        this.peerClosed = lineage.type("io.Tcp$PeerClosed$");
        this.errorClosed = lineage.type("io.Tcp$ErrorClosed");
        this.actorSystem = lineage.type("actor.ActorSystemImpl");
        this.idleLogicPrefix = lineage.type(IdleTimeoutInstrumentation.STAGE) + "$$anon$";
        this.parserName = lineage.type(PekkoApi.PARSER);
        // the stage that picks HTTP/1.1 or HTTP/2 for a connection of a binding with HTTP/2 enabled
        this.protocolSwitch = lineage.type("http.impl.engine.http2.ProtocolSwitch");
    }

    private Timeouts timeouts() {
        return tracker.timeouts();
    }

    void tcpConnected(Object actor, Object self, Object channel) {
        if (!actor.getClass().getName().equals(incoming)) {
            return;
        }
        try {
            SocketChannel ch = (SocketChannel) channel;
            accepted.putIfAbsent(self, new PekkoConnection(family, ch.getLocalAddress(), ch.getRemoteAddress(),
                    System.currentTimeMillis()));
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /** A TCP stage made in the materialization being gathered: an accepted connection's names its actor. */
    void tcpStage(Gathered g, Object logic, Object role) {
        try {
            PekkoApi api = PekkoApi.of(logic.getClass());
            if (api == null) {
                unreadable(logic.getClass());
                return;
            }
            Object tcpActor = api.inboundActor(role);
            if (tcpActor != null) {
                g.tcpActor = tcpActor;
                g.tcpLogic = logic;
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /** The TLS actor a TLS phase started; null where unknown. */
    Object tlsActorOf(Object tlsPhase) {
        try {
            PekkoApi api = PekkoApi.of(tlsPhase.getClass());
            return api == null ? null : api.tlsActorOf(tlsPhase);
        } catch (Throwable t) {
            tracker.failed(t);
            return null;
        }
    }

    /**
     * A materialization that made a TCP stage of an accepted connection and a request parser (or, with HTTP/2 enabled,
     * the graph that will choose the protocol): a server connection. One inside a connection's stream that made a
     * parser or an HTTP/2 demultiplexer: the protocol that connection chose.
     */
    void claim(Gathered g) {
        try {
            claimOrThrow(g);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    private void claimOrThrow(Gathered g) throws ReflectiveOperationException {
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
        PekkoConnection fresh = (PekkoConnection) accepted.remove(g.tcpActor);
        if (fresh == null) {
            fresh = new PekkoConnection(family, null, api.remote(g.tcpLogic), System.currentTimeMillis());
        }
        // the stream runs on its own actor and may have met its parser's bytes before its materialization returned:
        // then it is that state the stages are tied to
        PekkoConnection s = track(fresh, api, g.tcpActor, g.tcpLogic, g.parser, g.idleLogic);
        if (g.tlsActor != null) {
            // the handshake is timed as a header, from the accept. Under load the stream's first hook may have made the
            // state before this returned (then s is not fresh): still before any byte of a request, the handshake's
            if (s == fresh || s.requests == 0 && s.bytesNanos == 0 && s.headerStartNanos == 0) {
                s.handshaking = true;
                s.headerStartNanos = nanoTime();
            }
            byTls.putIfAbsent(g.tlsActor, s);
            s.tlsActor(g.tlsActor);
        }
    }

    /** The HTTP server is there, and the agent cannot read what it needs of it: said once, the server left alone. */
    private void unreadable(Class<?> pekkoClass) {
        try {
            Class.forName(parserName, false, pekkoClass.getClassLoader());
            tracker.warnOnce(family + ": this HTTP server's internals are not those outlast reads ("
                    + PekkoApi.missing(pekkoClass) + "); left untouched");
        } catch (ClassNotFoundException | LinkageError e) {
            // the actors without the HTTP server (remoting, a TCP server of its own): not a server of this family
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
            s.demux(g.demux);
            if (g.idleLogic != null) {
                s.innerIdle(g.idleLogic);
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
        }
        // whichever of the materialization and the stream's first hook comes first, both tie the stages to one state
        PekkoConnection registered = (PekkoConnection) registry.putIfAbsent(tcpActor, s);
        if (idleLogic != null) {
            byIdle.putIfAbsent(idleLogic, registered);
        }
        if (parser != null) {
            byParser.putIfAbsent(parser, registered);
        }
        if (registered == s) {
            report(s, api);
        }
        return registered;
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
                } else if (name.equals(parserName)) {
                    parser = l;
                } else if (name.startsWith(idleLogicPrefix) && name.indexOf('$', idleLogicPrefix.length()) < 0) {
                    idleLogic = l;
                } else if (name.startsWith(protocolSwitch)) {
                    http2 = true;
                }
            }
            Object tcpActor = tcpLogic == null ? null : api.tcpActorOf(tcpLogic);
            if (tcpActor != null && parser == null && http2) {
                SocketChannel channel = PekkoApi.channelOf(tcpActor);
                tracker.warnOnce(family + " " + api.version + " server " + (channel == null ? "?"
                        : Addresses.format(channel.getLocalAddress())) + " has HTTP/2 enabled (enable-http2): its"
                        + " connections open before the agent keep their own idle-timeout; later ones are governed");
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
            s = new PekkoConnection(family, channel == null ? null : channel.getLocalAddress(), remote,
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

    void requestBytes(Object parser) {
        PekkoConnection s = ofParser(parser);
        if (s != NOT_OURS) {
            s.bytesNanos = nanoTime();
        }
    }

    /**
     * After the parser's work on bytes (or a pull): a request's start counts one, and whether it holds part of a header
     * now (a header begun, or the next one behind a request in the same bytes) starts or ends the header's time.
     */
    void parsed(Object parser, Object output) {
        try {
            PekkoConnection s = ofParser(parser);
            PekkoApi api = s == NOT_OURS ? null : s.api;
            if (api == null) {
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

    void handshakeDone(Object tlsActor) {
        PekkoConnection s = (PekkoConnection) byTls.get(tlsActor);
        if (s != null && s.handshaking) {
            s.handshaking = false;
            s.headerStartNanos = 0;
        }
    }

    void tlsClosing(Object tlsActor, boolean peerFirst) {
        PekkoConnection s = (PekkoConnection) byTls.get(tlsActor);
        if (s == null) {
            return;
        }
        if (peerFirst) {
            s.mark(CloseEvent.PEER, peerIdleMs(s));
        } else {
            s.mark(CloseEvent.SERVER, idleMs(s));
        }
    }

    long idleDeadline(Object logic, long nextDeadline) {
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

    void tcpCloseAsked(Object self, Object closedEvent) {
        if (closedEvent != null && closedEvent.getClass().getName().equals(peerClosed)) {
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
                s.mark(CloseEvent.PEER, peerIdleMs(s));
            }
        }
    }

    /**
     * A peer's idle at its TLS close: its own close_notify came just before, so its wait is dated from the idle
     * stage's last look (a second ago at most), which saw the bytes before it.
     */
    private long peerIdleMs(PekkoConnection s) {
        long idleMs = idleMs(s);
        long lookedMs = s.lastActivityNanos == 0 ? idleMs
                : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.lastActivityNanos);
        return idleMs < CLOSE_NOTIFY_MS ? lookedMs : idleMs;
    }

    void tcpStopping(Object self, Object closeInformation) {
        try {
            accepted.remove(self);
            PekkoConnection s = (PekkoConnection) registry.remove(self);
            if (s == null) {
                return;
            }
            Method event = CLOSED_EVENT.get(closeInformation.getClass());
            Object closedEvent = event == null ? null : event.invoke(closeInformation);
            if (closedEvent != null && closedEvent.getClass().getName().equals(errorClosed)) {
                s.mark(CloseEvent.ERROR, idleMs(s));
            }
            closed(s);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    void tcpStopped(Object self) {
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

    void stopping(Object what) {
        try {
            if (what.getClass().getName().equals(actorSystem)) {
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
            tracker.warnOnce(family + ": " + address + " has no idle-timeout (infinite): outlast's idle needs Pekko's"
                    + " own idle stage to time it, and is not applied there");
        }
        tracker.report(new EndpointReport(family, version, "server", address, ownMs,
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
