package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.TomcatHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.EndpointReport;
import io.outlast.family.HeaderPhase;
import io.outlast.family.Reflection;
import io.outlast.family.RunningThreads;
import io.outlast.family.LiveFamily;
import io.outlast.family.ServerObjects;
import io.outlast.family.Servers;
import io.outlast.family.Timeouts;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.SocketChannel;

/**
 * Tomcat's NIO connections as the agent sees them. Idle is Tomcat's own keepAliveTimeout between requests,
 * and the socket's read timeout before the first one (Tomcat uses connectionTimeout there, which also
 * drives the TLS handshake and writes, so it is left alone). The header deadline is the agent's.
 */
final class TomcatConnections extends TomcatHooks implements HeaderPhase<TomcatConnection>, LiveFamily,
        Servers.Family<TomcatConnections.Endpoint> {
    private static final String FAMILY = "tomcat";

    private final ConnectionTracker tracker;
    private final ConnectionRegistry registry;
    private static final String ACCEPTOR = "org.apache.tomcat.util.net.Acceptor";
    private final Servers<Endpoint> endpoints;
    private final TomcatDrain drain;
    /** An endpoint with maxKeepAliveRequests 1 or unlimited was met: Tomcat does not count its requests. */
    private volatile boolean everyRequest;
    /** Endpoints whose HTTP/2 was reported, at their first HTTP/2 connection. */
    private final ServerObjects<Boolean> h2Endpoints = new ServerObjects<>();
    /** How often Tomcat checks HTTP/2 keep-alives (AbstractProtocol's async timeout). */
    private static final long ASYNC_TIMEOUT_TICK_MS = 1000;
    /** Tomcat's own HTTP/2 keep-alive as last read (Http2Protocol's, 20 s unless set): what a timer was armed with. */
    private volatile long ownH2KeepAliveMs = -1;

    TomcatConnections(ConnectionTracker tracker) {
        this.tracker = tracker;
        this.registry = tracker.registry();
        this.endpoints = new Servers<>(tracker, this);
        this.drain = new TomcatDrain(tracker, endpoints);
    }

    /** The timeouts in force, read each time: an attach may change them while the server runs. */
    private Timeouts timeouts() {
        return tracker.timeouts();
    }

    @Override
    public void endpointStarted(Object endpoint) {
        try {
            adopt(endpoint);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void timeoutCheck(Object wrapper) {
        if (registry.find(wrapper) != null) {
            return;
        }
        try {
            // open before an attach and waiting: met now, its endpoint too, before the pass reads its timeout
            TomcatApi api = TomcatApi.of(wrapper.getClass());
            api = api == null ? null : adopt(api.endpointOf(wrapper));
            if (api != null) {
                track(api, wrapper, !api.hasProcessor(wrapper));
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void created(Object wrapper, Object endpoint, int maxKeepAliveRequests) {
        try {
            if (maxKeepAliveRequests <= 1 && !everyRequest) {
                everyRequest = true;
            }
            TomcatApi api = TomcatApi.of(wrapper.getClass());
            api = api == null ? null : adopt(endpoint);
            if (api != null) {
                // inside the constructor: the socket's addresses are taken when its first wait is armed
                registry.putIfAbsent(wrapper, new TomcatConnection(api, maxKeepAliveRequests, FAMILY,
                        System.currentTimeMillis()));
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /**
     * HTTP/2 keeps its own idle between streams (Http2Protocol's keepAliveTimeout, 20 s), whatever the connector's
     * keepAliveTimeout says: it is read each time a connection's last stream ends, and the agent's idle answers.
     */
    @Override
    public long h2KeepAlive(Object protocol, long keepAliveMs) {
        ownH2KeepAliveMs = keepAliveMs;
        return timeouts().idleMs > 0 ? timeouts().idleMs : keepAliveMs;
    }

    /**
     * An HTTP/2 connection left with no deadline by a stream count read before its last stream ended (Tomcat's race:
     * one connection in 2 of 9 clean-clone runs never got its GOAWAY): with no stream open, the keep-alive from now,
     * as Tomcat would have armed it.
     */
    @Override
    public long h2Rearmed(Object handler) {
        try {
            TomcatHttp2 h2 = TomcatHttp2.of(handler.getClass());
            long own = h2 != null ? h2.ownKeepAlive(handler) : -1;
            long keepAlive = timeouts().idleMs > 0 ? timeouts().idleMs : own;
            return keepAlive == -1 ? -1 : System.currentTimeMillis() + keepAlive;
        } catch (Throwable t) {
            tracker.failed(t);
            return -1;
        }
    }

    @Override
    public void h2Started(Object wrapper, Object protocol, Object handler) {
        try {
            TomcatConnection s = (TomcatConnection) registry.find(wrapper);
            if (s == null) {
                return;
            }
            s.protocol = "h2";
            s.h2(handler).governed = true;
            TomcatApi api = s.api();
            h2Endpoints.get(api.endpointOf(wrapper), endpoint -> Boolean.TRUE, (endpoint, v) -> {
                long own = ((Number) Reflection.read(protocol, "keepAliveTimeout")).longValue();
                tracker.report(new EndpointReport(FAMILY, api.version, "h2 connector", api.address(endpoint), own,
                        timeouts().idleMs > 0 ? timeouts().idleMs : own, -1, -1));
                if (TomcatHttp2.of(handler.getClass()) == null) {
                    tracker.warnOnce("tomcat " + api.version + " h2: its HTTP/2 internals are not as outlast knows"
                            + " them (" + TomcatHttp2.missing(handler.getClass()) + "); an idle HTTP/2 connection ends"
                            + " as Tomcat ends it, at once after its GOAWAY");
                }
            });
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /**
     * An HTTP/2 connection ends: its streams are counted by the highest one processed (a client's are odd). With
     * no error given, its keep-alive ran out: Tomcat sends GOAWAY with that stream and closes.
     */
    @Override
    public void h2Closing(Object wrapper, boolean timedOut, int lastStreamId, long connectionTimeout) {
        try {
            TomcatConnection s = (TomcatConnection) registry.find(wrapper);
            if (s == null) {
                return;
            }
            s.protocol = "h2";
            s.requests = (lastStreamId + 1) / 2;
            if (timedOut) {
                s.mark(CloseEvent.SERVER_IDLE, h2IdleMs(s.h2(), connectionTimeout));
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /** How long an HTTP/2 connection whose keep-alive deadline has passed has waited for a stream. */
    private long h2IdleMs(TomcatConnection.Http2 c, long deadline) {
        long armedMs = c != null && c.armedMs > 0 ? c.armedMs
                : timeouts().idleMs > 0 ? timeouts().idleMs : ownH2KeepAliveMs;
        return deadline > 0 && armedMs > 0 ? System.currentTimeMillis() - (deadline - armedMs) : 0;
    }

    /**
     * Tomcat arms an HTTP/2 keep-alive each time a connection's last stream ends, with what {@link #h2KeepAlive}
     * answers then. One armed before the agent came (or before an attach changed idle) is moved to the agent's
     * idle, counted from when it was armed. After an idle close's GOAWAY, the grace ends at the tick nearest it.
     */
    @Override
    public long h2Deadline(Object wrapper, Object handler, long deadline) {
        try {
            TomcatConnection s = (TomcatConnection) registry.find(wrapper);
            if (s == null) {
                // HTTP/2 since before the agent came: Tomcat's own keep-alive armed its deadline
                s = meetOpenBefore(wrapper);
                if (s == null) {
                    return deadline;
                }
                s.protocol = "h2";
            }
            TomcatConnection.Http2 c = s.h2(handler);
            long graceEnd = c.graceEndMs;
            if (graceEnd != 0) {
                return System.currentTimeMillis() + ASYNC_TIMEOUT_TICK_MS / 2 >= graceEnd ? 0 : deadline;
            }
            TomcatHttp2 h2 = TomcatHttp2.of(handler.getClass());
            if (h2 == null) {
                return deadline;
            }
            long idleMs = timeouts().idleMs;
            long answer = idleMs > 0 ? idleMs : h2.ownKeepAlive(handler);
            if (deadline != c.seenDeadline) {
                // armed since the last tick: with the answer in force, unless it was armed before the agent came
                c.armedMs = c.seenDeadline == Long.MIN_VALUE && !c.governed ? h2.ownKeepAlive(handler) : answer;
                c.seenDeadline = deadline;
            }
            if (deadline <= 0 || c.armedMs <= 0 || c.armedMs == answer) {
                return deadline;
            }
            // a stream's frames set it to -1 as they arrive, and after them it is armed afresh: a write that loses
            // that race is undone by the next arm
            long moved = Math.max(1, deadline - c.armedMs + answer);
            c.armedMs = answer;
            c.seenDeadline = moved;
            return moved;
        } catch (Throwable t) {
            tracker.failed(t);
            return deadline;
        }
    }

    /**
     * An idle HTTP/2 connection's end, done gracefully: its GOAWAY (the last stream processed, NO_ERROR) now, and
     * Tomcat's state that ignores a new stream (as its own drain does); its close a grace later. A stream a proxy sent
     * before reading the GOAWAY then reaches an open connection, which does not process it (above the GOAWAY's last
     * stream: the proxy knows it may retry it), instead of a closed socket's reset, which can discard the GOAWAY
     * unread. Only for the agent's idle, where the keep-alive deadline has passed and no stream is open.
     */
    @Override
    public Object h2TimedOut(Object wrapper, Object handler, long deadline) {
        try {
            TomcatConnection s = timeouts().idleMs > 0 ? (TomcatConnection) registry.find(wrapper) : null;
            TomcatHttp2 h2 = s == null ? null : TomcatHttp2.of(handler.getClass());
            TomcatConnection.Http2 c = s == null ? null : s.h2(handler);
            long now = System.currentTimeMillis();
            if (h2 == null || c.graceEndMs != 0 || deadline <= 0 || now <= deadline || h2.activeStreams(handler) > 0) {
                return null;
            }
            s.protocol = "h2";
            s.requests = (h2.lastStreamId(handler) + 1) / 2;
            // named before the GOAWAY goes: the peer's FIN that answers it must not rename the closer
            boolean marked = s.mark(CloseEvent.SERVER_IDLE, h2IdleMs(c, deadline));
            if (!h2.goAway(handler)) {
                if (marked) {
                    s.unmark(CloseEvent.SERVER_IDLE);
                }
                return null;
            }
            c.graceEndMs = now + timeouts().h2CloseGraceMs();
            return h2.keptOpen(wrapper);
        } catch (Throwable t) {
            tracker.failed(t);
            return null;
        }
    }

    @Override
    public boolean everyRequest() {
        return everyRequest;
    }

    @Override
    public void requestDone(Object wrapper) {
        try {
            TomcatConnection s = (TomcatConnection) registry.find(wrapper);
            if (s == null) {
                // open before an attach: met here, before the keep-alive wait reads its timeout
                s = meetOpenBefore(wrapper);
                if (s == null) {
                    return;
                }
            }
            s.requests++;
            s.idleSinceMillis = System.currentTimeMillis();
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void readFailed(Object wrapper, Throwable thrown, long lastWrite) {
        try {
            TomcatConnection s = (TomcatConnection) registry.find(wrapper);
            if (s == null) {
                return;
            }
            if (thrown instanceof EOFException || (thrown instanceof IOException && s.api().tlsClosedByPeer(wrapper))) {
                s.mark(CloseEvent.PEER, waitingIdle(s.api(), wrapper, s, lastWrite));
            } else if (thrown instanceof IOException) {
                s.mark(CloseEvent.ERROR, waitingIdle(s.api(), wrapper, s, lastWrite));
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public long readTimeout(Object wrapper, long timeoutMs, Object ioChannel) {
        // the thread that created the connection arms its first wait: its last entry
        TomcatConnection s = (TomcatConnection) registry.get(wrapper);
        if (s == null || s.addressed()) {
            // not tracked, or its first wait armed already (and Tomcat's own timeout is none since)
            return timeoutMs;
        }
        // the first timeout armed on a new connection is its wait for the first request (Tomcat arms it with
        // connectionTimeout); later waits for a request use keepAliveTimeout, which is the agent's already
        try {
            addresses(s, ioChannel);
        } catch (ClosedChannelException closed) {
            // closed before its first wait (a failed TLS handshake): its addresses are gone with it
            s.addresses("?", null);
        } catch (Throwable t) {
            s.addresses("?", null);
            tracker.failed(t);
        }
        return timeouts().idleMs > 0 ? timeouts().idleMs : timeoutMs;
    }

    @Override
    public void closing(Object wrapper, boolean stopping, Throwable error, Object processor, long lastWrite,
                        int keepAliveLeft) {
        try {
            TomcatConnection s = (TomcatConnection) registry.remove(wrapper);
            if (s == null) {
                return;
            }
            TomcatApi api = s.api();
            // the closer and idle of an unexplained close only: marked ones carry theirs
            boolean unmarked = ConnectionTracker.readsUnmarked(s, stopping);
            tracker.closed(s, stopping, unmarked ? unmarkedCloser(api, wrapper, error, processor) : null,
                    unmarked ? idleOf(api, api.inputBufferOf(processor), s, lastWrite) : 0,
                    requests(s, lastWrite, keepAliveLeft));
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void endpointStopping(Object endpoint) {
        try {
            drain.stopping(endpoint);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public boolean closeAfterResponse(Object socketWrapper) {
        try {
            return drain.closeAfterResponse(socketWrapper);
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
    public void closed(Object wrapper) {
        registry.remove(wrapper);
    }

    /** Tomcat keeps a close's cause in the socket's error; none is the server closing after a response. */
    private static String unmarkedCloser(TomcatApi api, Object wrapper, Throwable error, Object processor)
            throws ReflectiveOperationException {
        if (error instanceof SocketTimeoutException || error instanceof InterruptedByTimeoutException) {
            // Tomcat's read timeout: keepAliveTimeout while waiting, connectionTimeout within a request
            Object buffer = api.inputBufferOf(processor);
            return buffer != null && api.inHeaders(buffer) ? CloseEvent.SERVER_HEADER : CloseEvent.SERVER_IDLE;
        }
        if (error instanceof EOFException || (error instanceof IOException && api.tlsClosedByPeer(wrapper))) {
            // NIO2 keeps the peer's FIN as the socket's error, and over TLS its close_notify as a failed unwrap
            return CloseEvent.PEER;
        }
        return error != null ? CloseEvent.ERROR : CloseEvent.SERVER;
    }

    @Override
    public long headerStartNanos(Object wrapper, TomcatConnection s) throws ReflectiveOperationException {
        if ("h2".equals(s.protocol)) {
            return h2HeaderArriving(wrapper, s) ? UNTIMED : NONE;
        }
        TomcatApi api = s.api();
        Object buffer = api.inputBuffer(wrapper);
        if (buffer == null) {
            // before a processor: over TLS, a handshake under way is the first request arriving
            return api.handshaking(wrapper) ? UNTIMED : NONE;
        }
        if (!api.inHeaders(buffer)) {
            return NONE;
        }
        long start = api.startNanos(buffer);
        return start == Long.MIN_VALUE ? UNTIMED : start;
    }

    /**
     * HTTP/2: a stream's header is arriving while no stream is open and the pending read holds part of a frame (or of
     * the preface). Tomcat's asynchronous reads (NIO and NIO2 by default) wait for the rest of a frame without a
     * timeout, so a HEADERS frame that stops arriving would wait for the keep-alive.
     */
    private static boolean h2HeaderArriving(Object wrapper, TomcatConnection c) throws ReflectiveOperationException {
        Object handler = c.h2Handler();
        TomcatHttp2 h2 = handler == null ? null : TomcatHttp2.of(handler.getClass());
        return h2 != null && h2.activeStreams(handler) == 0 && h2.frameHeld(wrapper);
    }

    /**
     * HTTP/1.1 over plain TCP: Tomcat times a request's first byte, and bounds the gaps within its header by
     * connectionTimeout (not the keep-alive the connection waits with now). Not over TLS: there, HTTP/2 connections
     * left unlooked at before they were known as HTTP/2 missed their idle GOAWAY (3 runs of Tomcat h2 over TLS, in
     * two clean-clone runs; probably the lost deadline {@link #h2Rearmed} mends), so a TLS connection is looked at
     * every period, as before. Only where no worker holds the socket, and its processor, looked at again after that,
     * is not in a header: a worker takes the processor while it reads, so a connection in the middle of a header
     * showed none to the look just before (closed 1.4 s late, in tests).
     */
    @Override
    public long timedHeaderReadTimeoutMs(Object wrapper, TomcatConnection s) throws ReflectiveOperationException {
        TomcatApi api = s.api();
        if ("h2".equals(s.protocol) || api.tls(wrapper) || api.processing(wrapper)) {
            return -1;
        }
        Object buffer = api.inputBuffer(wrapper);
        if (buffer != null && api.inHeaders(buffer)) {
            return -1;
        }
        return Math.max(0, api.connectionTimeout(api.endpointOf(wrapper)));
    }

    @Override
    public long readTimeoutMs(Object wrapper, TomcatConnection s) throws ReflectiveOperationException {
        return s.api().readTimeout(wrapper);
    }

    /** NIO2 arms each read with the timeout then in force: one raised for a handshake would outlive it. */
    @Override
    public boolean mayHoldReadTimeout(Object wrapper, TomcatConnection s) throws ReflectiveOperationException {
        TomcatApi api = s.api();
        return !(api.ioChannel(wrapper) instanceof AsynchronousSocketChannel) || api.inputBuffer(wrapper) != null;
    }

    @Override
    public void setReadTimeoutMs(Object wrapper, TomcatConnection s, long ms) throws ReflectiveOperationException {
        s.api().setReadTimeout(wrapper, ms);
    }

    @Override
    public void close(Object wrapper, TomcatConnection s) throws ReflectiveOperationException {
        TomcatApi api = s.api();
        api.timeOut(api.endpointOf(wrapper), wrapper, "outlast: request header deadline");
    }

    @Override
    public void reconfigured() {
        endpoints.reconfigured();
    }

    /** The settings changed: the endpoint, and its connections waiting for a request, get the idle in force. */
    @Override
    public void reapply(Object endpoint, Endpoint kept) throws ReflectiveOperationException {
        TomcatApi api = kept.api;
        int idle = timeouts().idleMs > 0 ? (int) timeouts().idleMs : kept.ownKeepAliveMs;
        api.setKeepAliveTimeout(endpoint, idle);
        for (Object wrapper : api.connections(endpoint)) {
            if (!api.hasProcessor(wrapper)) {
                api.setReadTimeout(wrapper, idle);
            }
        }
    }

    /**
     * At install: each endpoint already running is met from its acceptor thread, with its open connections, so
     * that its line is printed and its settings in force at once rather than at the poller's next pass or, with
     * NIO2 or no connection open, at its next connection.
     */
    @Override
    public void meetRunning(RunningThreads threads) throws Exception {
        threads.forEach((thread, task) -> {
            if (task != null && task.getClass().getName().equals(ACCEPTOR)) {
                Object endpoint = Reflection.read(task, "endpoint");
                if (endpoint != null) {
                    adopt(endpoint);
                }
            }
        });
    }

    /** The endpoint's API handle, meeting it first if it is new (its open connections are tracked then). */
    private TomcatApi adopt(Object endpoint) throws Exception {
        Endpoint e = endpoints.adopt(endpoint);
        return e == null ? null : e.api;
    }

    @Override
    public void met(Object endpoint, Endpoint kept) throws ReflectiveOperationException, IOException {
        for (Object wrapper : kept.api.connections(endpoint)) {
            track(kept.api, wrapper, !kept.api.hasProcessor(wrapper));
        }
    }

    /** First sight of an endpoint: apply the settings and report it. */
    @Override
    public Endpoint meet(Object endpoint) throws ReflectiveOperationException {
        TomcatApi api = TomcatApi.of(endpoint.getClass());
        if (api == null) {
            tracker.warnOnce("tomcat endpoint " + endpoint.getClass().getName()
                    + ": its class loader lacks part of Tomcat's API (" + TomcatApi.missing(endpoint.getClass())
                    + "); left untouched");
            return null;
        }
        if (!tracker.supports(api.version) || api.name(endpoint).startsWith("ajp")) {
            return null;
        }
        int before = api.keepAliveTimeout(endpoint);
        if (timeouts().idleMs > 0) {
            api.setKeepAliveTimeout(endpoint, (int) timeouts().idleMs);
        }
        tracker.report(new EndpointReport(FAMILY, api.version, "connector",
                api.address(endpoint), before, timeouts().idleMs > 0 ? timeouts().idleMs : before, -1, timeouts().headerMs));
        return new Endpoint(api, before, api.localPort(endpoint));
    }

    /** A connection open before an attach, met at its first hook, with its endpoint; null where Tomcat's API is not all there. */
    private TomcatConnection meetOpenBefore(Object wrapper) throws Exception {
        TomcatApi api = TomcatApi.of(wrapper.getClass());
        if (api != null && api.closed(wrapper)) {
            // its close was said already: HTTP/2's timeout check can reach it once more after (a second close event
            // for one connection, seen once on Tomcat 10.1 h2 over TLS)
            return null;
        }
        api = api == null ? null : adopt(api.endpointOf(wrapper));
        return api == null ? null : track(api, wrapper, false);
    }

    /** {@code waiting}: no request in progress, so the read timeout in force is the wait for one. */
    private TomcatConnection track(TomcatApi api, Object wrapper, boolean waiting)
            throws ReflectiveOperationException, IOException {
        TomcatConnection s = (TomcatConnection) registry.find(wrapper);
        if (s != null) {
            return s;
        }
        TomcatConnection fresh = new TomcatConnection(api, api.maxKeepAliveRequests(api.endpointOf(wrapper)), FAMILY,
                System.currentTimeMillis());
        try {
            addresses(fresh, api.ioChannel(wrapper));
        } catch (ClosedChannelException closed) {
            // closed as the poller's pass or a request's end met it: nothing left to follow
            return fresh;
        }
        s = (TomcatConnection) registry.putIfAbsent(wrapper, fresh);
        if (api.closed(wrapper)) {
            // its close began as it was met: the close's exit may have passed already, so nothing else drops it
            registry.remove(wrapper);
            return s;
        }
        if (waiting && timeouts().idleMs > 0) {
            api.setReadTimeout(wrapper, timeouts().idleMs);
        }
        return s;
    }

    /** The JDK channel's own address objects (NIO or NIO2); {@code "?"} if it has none. */
    private static void addresses(TomcatConnection s, Object ioChannel) throws IOException {
        if (ioChannel instanceof SocketChannel) {
            SocketChannel c = (SocketChannel) ioChannel;
            s.addresses(c.getLocalAddress(), c.getRemoteAddress());
        } else if (ioChannel instanceof AsynchronousSocketChannel) {
            AsynchronousSocketChannel c = (AsynchronousSocketChannel) ioChannel;
            s.addresses(c.getLocalAddress(), c.getRemoteAddress());
        } else {
            s.addresses("?", null);
        }
    }

    /**
     * Requests received: Tomcat's count for a NIO connection (given its last write) where it counts them, else
     * the agent's.
     */
    static long requests(TomcatConnection s, long lastWrite, int keepAliveLeft) {
        if (s.protocol != null) {
            return s.requests;
        }
        int max = s.maxKeepAliveRequests;
        return lastWrite >= 0 && max > 1 ? max - keepAliveLeft : s.requests;
    }

    /**
     * How long the connection has waited for a request; 0 while one is in progress. Since its last write
     * where Tomcat times it (NIO: {@code lastWrite} is not -1), else since the agent saw its last request end.
     */
    private static long waitingIdle(TomcatApi api, Object wrapper, TomcatConnection s, long lastWrite)
            throws ReflectiveOperationException {
        return idleOf(api, api.inputBuffer(wrapper), s, lastWrite);
    }

    /** How long the connection has waited for a request as its drain ends (0 in a request). */
    static long idleNow(TomcatApi api, Object wrapper, TomcatConnection s) throws ReflectiveOperationException {
        return waitingIdle(api, wrapper, s, -1);
    }

    /** The same, from the connection's input buffer (null: none, it waits). */
    private static long idleOf(TomcatApi api, Object buffer, TomcatConnection s, long lastWrite)
            throws IllegalAccessException {
        if (buffer != null && !api.waiting(buffer)) {
            return 0;
        }
        return System.currentTimeMillis() - (lastWrite >= 0 ? lastWrite : s.idleSinceMillis);
    }

    /** What the agent keeps of an endpoint: its API handle and its own keep-alive timeout, put back when idle is unset. */
    static final class Endpoint {
        final TomcatApi api;
        final int ownKeepAliveMs;
        /** As met (bound): a graceful stop closes the socket first, and the port reads -1 after. */
        final int port;

        Endpoint(TomcatApi api, int ownKeepAliveMs, int port) {
            this.api = api;
            this.ownKeepAliveMs = ownKeepAliveMs;
            this.port = port;
        }
    }
}
