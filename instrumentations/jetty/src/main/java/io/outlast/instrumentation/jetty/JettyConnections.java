package io.outlast.instrumentation.jetty;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.JettyHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.EndpointReport;
import io.outlast.family.HeaderDeadline;
import io.outlast.family.HeaderPhase;
import io.outlast.family.RunningThreads;
import io.outlast.family.LiveFamily;
import io.outlast.family.Servers;
import io.outlast.family.SweptConnectionState;
import io.outlast.family.Timeouts;

import java.util.concurrent.TimeoutException;

/**
 * Jetty's connections as the agent sees them. Runs on Jetty's threads (hooks) and on the agent's
 * timer (header sweep); every entry point swallows its own failures.
 */
final class JettyConnections extends JettyHooks implements HeaderPhase<SweptConnectionState>, LiveFamily,
        Servers.Family<JettyConnections.Connector> {
    private static final String FAMILY = "jetty";
    /** From {@link #idleExpiring}: an HTTP/2 session already closing, whose close this expiry does not start. */
    private static final long H2_CLOSING = -2;

    private final ConnectionTracker tracker;
    private final ConnectionRegistry registry;
    private final Servers<Connector> connectors;
    private final JettyDrain drain;

    JettyConnections(ConnectionTracker tracker) {
        this.tracker = tracker;
        this.registry = tracker.registry();
        this.connectors = new Servers<>(tracker, this);
        this.drain = new JettyDrain(tracker, connectors);
    }

    /** The timeouts in force, read each time: an attach may change them while the server runs. */
    private Timeouts timeouts() {
        return tracker.timeouts();
    }

    @Override
    public void connectorStarted(Object connector) {
        try {
            adopt(connector);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void serverStopping(Object server) {
        try {
            drain.serverStopping(server);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void connectorStopping(Object connector) {
        try {
            drain.connectorStopping(connector);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public boolean keepOpenAfterResponse(Object sendCallback) {
        try {
            return drain.keepOpenAfterResponse(sendCallback);
        } catch (Throwable t) {
            tracker.failed(t);
            return false;
        }
    }

    @Override
    public long shutdownIdleTimeout(Object connector, long ms) {
        try {
            return drain.shutdownIdleTimeout(connector, ms);
        } catch (Throwable t) {
            tracker.failed(t);
            return ms;
        }
    }

    @Override
    public void drainAtExit() throws Exception {
        drain.drainAtExit();
    }

    @Override
    public void endPointOpened(Object connector, Object endPoint) {
        try {
            JettyApi api = adopt(connector);
            if (api != null) {
                // new: no lookup first (only the adoption of its connector just now may have tracked it)
                SweptConnectionState s = newState(api, endPoint);
                if (registry.putIfAbsent(endPoint, s) == s) {
                    setIdle(api, endPoint);
                }
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void endPointClosed(Object connector, Object endPoint) {
        try {
            JettyApi api = adopt(connector);
            if (api == null) {
                return;
            }
            SweptConnectionState s = (SweptConnectionState) registry.remove(endPoint);
            if (s == null) {
                // closed before the agent saw it open (attach); what is left of it still tells a story
                s = newState(api, endPoint);
            }
            boolean stopping = api.stopping(connector);
            if (stopping && !tracker.draining(s)) {
                // a graceful shutdown ends idle connections with the idle timer (its shutdown idle timeout, 1 s), and a
                // header the agent holds with the header deadline: the stop's closes, not the timeouts' (Dropwizard,
                // Spring Boot's server.shutdown=graceful); in a drain they are the drain's, with the idle marked
                s.unmark(CloseEvent.SERVER_IDLE);
                s.unmark(CloseEvent.SERVER_HEADER);
            }
            // the idle of an unexplained close only: marked ones carry theirs (four calls saved per connection)
            long unmarkedIdle = ConnectionTracker.readsUnmarked(s, stopping) ? waitingIdle(api, endPoint) : 0;
            if (api.h2Session(endPoint) != null) {
                s.protocol = "h2";
            }
            tracker.closed(s, stopping, CloseEvent.SERVER, unmarkedIdle, api.requests(endPoint));
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void idleCheck(Object idleTimeout) {
        try {
            if (registry.get(idleTimeout) != null) {
                return;
            }
            JettyApi api = JettyApi.of(idleTimeout.getClass());
            if (api == null || !api.endPointType.isInstance(idleTimeout)) {
                return;
            }
            Object connector = api.connectorOf(idleTimeout);
            if (connector != null) {
                // its idle timer fired with the old timeout: adopting the connector sets the new one first
                adopt(connector);
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public long idleExpiring(Object endPoint) {
        try {
            SweptConnectionState s = (SweptConnectionState) registry.get(endPoint);
            if (s == null) {
                return -1;
            }
            JettyApi api = (JettyApi) s.support;
            long idleMs = api.idleFor(endPoint);
            Object http = api.httpConnection(endPoint);
            Object parser = http == null ? null : api.parser(http);
            if (parser != null && (api.waiting(parser) || api.inHeaders(parser))) {
                // no request is being handled, so Jetty will close; mark now, because the peer's answer
                // to the FIN Jetty is about to send can be read on another thread before this call returns
                s.mark(CloseEvent.SERVER_IDLE, idleMs);
            }
            Object h2 = parser == null ? api.h2Session(endPoint) : null;
            if (h2 == null) {
                return idleMs;
            }
            JettyHttp2 api2 = JettyHttp2.of(h2);
            if (api2.closed(h2)) {
                return H2_CLOSING;
            }
            if (api2.waiting(h2)) {
                // with no stream open HTTP/2 closes, GOAWAY then FIN, before this call returns: the peer's FIN in
                // answer must find the mark; withdrawn on the way out if it declined after all
                s.mark(CloseEvent.SERVER_IDLE, idleMs);
            }
            return idleMs;
        } catch (Throwable t) {
            tracker.failed(t);
            return -1;
        }
    }

    @Override
    public void idleExpired(Object endPoint, long idleMs) {
        try {
            SweptConnectionState s = idleMs < 0 ? null : (SweptConnectionState) registry.get(endPoint);
            if (s == null) {
                return;
            }
            JettyApi api = (JettyApi) s.support;
            // with a request being handled Jetty may decline: only a shut output is the server closing
            if (api.isOutputShutdown(endPoint) || !api.isOpen(endPoint)) {
                s.mark(CloseEvent.SERVER_IDLE, idleMs);
                return;
            }
            // HTTP/2 open on the way in and closing on the way out: this expiry sent its GOAWAY
            Object h2 = api.h2Session(endPoint);
            if (h2 != null) {
                if (JettyHttp2.of(h2).closed(h2)) {
                    s.mark(CloseEvent.SERVER_IDLE, idleMs);
                } else {
                    s.unmark(CloseEvent.SERVER_IDLE);
                }
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /**
     * An idle HTTP/2 connection's end, done gracefully: its GOAWAY now, and its end point's idle timeout cut to a
     * grace, at whose expiry Jetty ends the session it finds closing. A stream a proxy sent before reading the
     * GOAWAY then reaches an open connection that refuses it (above the GOAWAY's last stream), instead of a closed
     * socket's reset, which can discard the GOAWAY unread. Only where Jetty would close: the agent has an idle, no
     * stream is open, the session has been without a frame that long, and the connection is reading.
     */
    @Override
    public boolean h2IdleExpired(Object connection) {
        try {
            long idleMs = timeouts().idleMs;
            JettyApi api = idleMs > 0 ? JettyApi.of(connection.getClass()) : null;
            JettyHttp2 h2 = api == null ? null : JettyHttp2.ofConnection(connection);
            Object session = h2 == null ? null : h2.session(connection);
            if (session == null || h2.closed(session) || !h2.waiting(session) || !h2.fillInterested(connection)) {
                return false;
            }
            Object endPoint = api.endPointOf(connection);
            Object network = api.networkUnder(endPoint);
            network = network == null ? endPoint : network;
            SweptConnectionState s = (SweptConnectionState) registry.get(network);
            long quietMs = h2.idleFor(session);
            if (s == null || (quietMs >= 0 && quietMs < api.idle(network))) {
                return false;
            }
            s.mark(CloseEvent.SERVER_IDLE, waitingIdle(api, network));
            h2.goAway(session);
            api.setIdle(network, timeouts().h2CloseGraceMs());
            return true;
        } catch (Throwable t) {
            tracker.failed(t);
            return false;
        }
    }

    @Override
    public void inputShutdown(Object endPoint) {
        try {
            SweptConnectionState s = (SweptConnectionState) registry.get(endPoint);
            if (s == null) {
                return;
            }
            JettyApi api = (JettyApi) s.support;
            if (api.isOutputShutdown(endPoint)) {
                s.mark(CloseEvent.SERVER, 0);
            } else {
                s.mark(CloseEvent.PEER, waitingIdle(api, endPoint));
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void outputShutdown(Object endPoint) {
        try {
            SweptConnectionState s = (SweptConnectionState) registry.get(endPoint);
            if (s == null) {
                requestSideClosing(endPoint, null);
                return;
            }
            JettyApi api = (JettyApi) s.support;
            // over TLS the peer's close_notify comes before its FIN, and Jetty answers it by closing: the
            // peer closed first if its close_notify is in as Jetty shuts the output
            if (api.tlsClosedByPeer(endPoint)) {
                s.mark(CloseEvent.PEER, waitingIdle(api, endPoint));
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void closing(Object endPoint, Throwable cause) {
        try {
            SweptConnectionState s = (SweptConnectionState) registry.get(endPoint);
            if (s == null) {
                requestSideClosing(endPoint, cause);
                return;
            }
            if (cause == null) {
                return;
            }
            JettyApi api = (JettyApi) s.support;
            if (cause instanceof TimeoutException) {
                s.mark(CloseEvent.SERVER_IDLE, api.idleFor(endPoint));
            } else {
                s.mark(CloseEvent.ERROR, waitingIdle(api, endPoint));
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /**
     * Over TLS, the request side's end point shut or closed: Jetty 9.4-11 do either on the peer's close_notify,
     * and may then close the socket without shutting the network end point's output. Closed for a failure
     * (a reset met by a write, the engine's alert or a response): an error, which the network end point's
     * close does not carry. Its output shut already: the server closed first, and this is what followed.
     */
    private void requestSideClosing(Object endPoint, Throwable cause) throws ReflectiveOperationException {
        JettyApi api = JettyApi.of(endPoint.getClass());
        Object network = api == null ? null : api.networkUnder(endPoint);
        SweptConnectionState s = network == null || api.isOutputShutdown(endPoint) ? null
                : (SweptConnectionState) registry.get(network);
        if (s == null) {
            return;
        }
        if (cause != null) {
            if (!(cause instanceof TimeoutException)) {
                s.mark(CloseEvent.ERROR, waitingIdle(api, network));
            }
        } else if (api.tlsClosedByPeer(network)) {
            s.mark(CloseEvent.PEER, waitingIdle(api, network));
        }
    }

    @Override
    public long headerStartNanos(Object endPoint, SweptConnectionState s) throws ReflectiveOperationException {
        JettyApi api = (JettyApi) s.support;
        Object http = api.httpConnection(endPoint);
        Object parser = http == null ? null : api.parser(http);
        if (parser == null) {
            return http == null ? h2HeaderStartNanos(api.h2Session(endPoint)) : NONE;
        }
        if (!api.inHeaders(parser)) {
            // over TLS, a handshake under way is the first request arriving
            return api.waiting(parser) && api.handshaking(endPoint, http) ? UNTIMED : NONE;
        }
        long begin = api.beginNanos(parser);
        return begin == Long.MIN_VALUE ? UNTIMED : begin;
    }

    /** HTTP/2: a frame (or the preface) begun while no stream is open is a stream's header arriving. */
    private static long h2HeaderStartNanos(Object session) throws ReflectiveOperationException {
        JettyHttp2Parser parser = session == null ? null : JettyHttp2Parser.of(session);
        return parser == null || !JettyHttp2.of(session).waiting(session) ? NONE : parser.frameBegun(session);
    }

    /**
     * HTTP/1.1 past its TLS handshake on 10 and later: the parser times the next request's first byte, and Jetty's
     * idle timeout, reset by each byte, bounds its header too.
     */
    @Override
    public long timedHeaderReadTimeoutMs(Object endPoint, SweptConnectionState s) throws ReflectiveOperationException {
        JettyApi api = (JettyApi) s.support;
        Object http = api.timesBegin() ? api.httpConnection(endPoint) : null;
        Object parser = http == null ? null : api.parser(http);
        return parser == null || api.tlsHandshakePending(endPoint) ? -1 : Math.max(0, api.idle(endPoint));
    }

    @Override
    public long readTimeoutMs(Object endPoint, SweptConnectionState s) throws ReflectiveOperationException {
        return ((JettyApi) s.support).idle(endPoint);
    }

    @Override
    public void setReadTimeoutMs(Object endPoint, SweptConnectionState s, long ms) throws ReflectiveOperationException {
        ((JettyApi) s.support).setIdle(endPoint, ms);
    }

    @Override
    public void close(Object endPoint, SweptConnectionState s) throws ReflectiveOperationException {
        ((JettyApi) s.support).close(endPoint);
    }


    /** At install: the connectors already running are met now, their open connections with them. */
    @Override
    public void meetRunning(RunningThreads threads) throws Exception {
        for (Object connector : JettyRunning.connectors(threads)) {
            adopt(connector);
        }
    }

    @Override
    public void reconfigured() {
        connectors.reconfigured();
    }

    /** The settings changed: the connector, and its open HTTP/1.1 and HTTP/2 connections, get the idle in force. */
    @Override
    public void reapply(Object connector, Connector kept) throws ReflectiveOperationException {
        JettyApi api = kept.api;
        long idle = timeouts().idleMs > 0 ? timeouts().idleMs : kept.ownIdleMs;
        api.setConnectorIdle(connector, idle);
        for (Object endPoint : api.endPoints(connector)) {
            if (!api.connectorTimed(endPoint)) {
                continue;
            }
            SweptConnectionState s = (SweptConnectionState) registry.get(endPoint);
            long set = idle;
            if (s != null) {
                s.savedIdleMs = -1;
                set = heldIfMidHeader(api, endPoint, s, idle);
            }
            api.setIdle(endPoint, set);
        }
    }

    /**
     * The idle to set on an end point: mid-header, held above the header deadline as the deadline's sweep holds
     * it (Jetty's timer, counted from the last byte, may fire before the next sweep), {@code idle} kept to be
     * put back once the headers are in.
     */
    private long heldIfMidHeader(JettyApi api, Object endPoint, SweptConnectionState s, long idle)
            throws ReflectiveOperationException {
        long headerMs = timeouts().headerMs;
        // an idle of more than 24 days cannot cut into a header: not held (and the saved value is an int)
        Object http = headerMs > 0 && idle <= Integer.MAX_VALUE ? api.httpConnection(endPoint) : null;
        Object parser = http == null ? null : api.parser(http);
        if (parser == null || !api.inHeaders(parser)) {
            return idle;
        }
        s.savedIdleMs = (int) idle;
        // 9.4 does not say when the header began: the deadline counts from the sweep that first sees it, Jetty's
        // timer from the last byte, which may be well before (a header begun before the agent came)
        long unknownStart = api.beginNanos(parser) == Long.MIN_VALUE ? api.idleFor(endPoint) : 0;
        return HeaderDeadline.heldMs(headerMs) + unknownStart;
    }

    /** The connector's API handle, meeting it first if it is new (its open connections are tracked then). */
    private JettyApi adopt(Object connector) throws Exception {
        Connector c = connectors.adopt(connector);
        return c == null ? null : c.api;
    }

    @Override
    public void met(Object connector, Connector kept) throws ReflectiveOperationException {
        for (Object endPoint : kept.api.endPoints(connector)) {
            track(kept.api, endPoint);
        }
    }

    /** First sight of a connector: apply the settings to it and report it. */
    @Override
    public Connector meet(Object connector) throws ReflectiveOperationException {
        JettyApi api = JettyApi.of(connector.getClass());
        if (api == null) {
            tracker.warnOnce("jetty connector " + connector.getClass().getName() + ": its class loader lacks part of"
                    + " Jetty's public API (" + JettyApi.missing(connector.getClass()) + "); left untouched");
            return null;
        }
        if (!api.isNetworkConnector(connector) || !tracker.supports(api.version)) {
            return null;
        }
        long before = api.connectorIdle(connector);
        if (timeouts().idleMs > 0) {
            api.setConnectorIdle(connector, timeouts().idleMs);
        }
        tracker.report(new EndpointReport(FAMILY, api.version, "connector", api.address(connector),
                before, timeouts().idleMs > 0 ? timeouts().idleMs : before, -1, timeouts().headerMs));
        return new Connector(api, before, api.localPort(connector));
    }

    private void track(JettyApi api, Object endPoint) throws ReflectiveOperationException {
        if (registry.get(endPoint) != null) {
            return;
        }
        SweptConnectionState s = (SweptConnectionState) registry.putIfAbsent(endPoint, newState(api, endPoint));
        if (timeouts().idleMs > 0 && api.connectorTimed(endPoint)) {
            api.setIdle(endPoint, heldIfMidHeader(api, endPoint, s, timeouts().idleMs));
        }
    }

    private void setIdle(JettyApi api, Object endPoint) throws ReflectiveOperationException {
        if (timeouts().idleMs > 0) {
            api.setIdle(endPoint, timeouts().idleMs);
        }
    }

    private static SweptConnectionState newState(JettyApi api, Object endPoint) throws ReflectiveOperationException {
        return new SweptConnectionState(api, FAMILY, api.local(endPoint), api.remote(endPoint),
                api.createdMillis(endPoint));
    }

    /** How long the connection has waited for a request (HTTP/2: with no stream open); 0 while one is in progress. */
    static long waitingIdle(JettyApi api, Object endPoint) throws ReflectiveOperationException {
        Object http = api.httpConnection(endPoint);
        if (http == null) {
            Object h2 = api.h2Session(endPoint);
            JettyHttp2 api2 = h2 == null ? null : JettyHttp2.of(h2);
            if (api2 == null || !api2.waiting(h2)) {
                return 0;
            }
            long idle = api2.idleFor(h2);
            return idle >= 0 ? idle : api.requestSideIdleFor(endPoint);
        }
        Object parser = api.parser(http);
        return parser != null && api.waiting(parser) ? api.requestSideIdleFor(endPoint) : 0;
    }

    /** What the agent keeps of a connector: its API handle and its own idle timeout, put back when idle is unset. */
    static final class Connector {
        final JettyApi api;
        final long ownIdleMs;
        /** As met (bound): a graceful shutdown closes the socket first, and the port reads -2 after. */
        final int port;

        Connector(JettyApi api, long ownIdleMs, int port) {
            this.api = api;
            this.ownIdleMs = ownIdleMs;
            this.port = port;
        }
    }
}
