package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.NettyConnectionState;
import io.outlast.family.ConnectionTracker;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Netty's idle and header timeouts, which Netty lacks: a sweep on the agent's timer thread stamps when each
 * connection began to wait or to receive a header (from the counts the advice keeps, which read no clock),
 * finds connections past either timeout, and closes each on its own event loop after checking again there,
 * where reads happen (a request that arrived meanwhile keeps its connection). Nothing runs on an event loop
 * but that check.
 */
final class NettyTimeouts {
    private final ConnectionTracker tracker;
    private final NettyConnections connections;

    NettyTimeouts(NettyConnections connections) {
        this.tracker = connections.tracker();
        this.connections = connections;
    }

    /**
     * A twentieth of the shorter timeout, within 50-900 ms: a stamp that late at most; a close due before the next
     * sweep is scheduled on the event loop for the moment it is due, so the stamp's is all the lateness (under 1 s at
     * 65 s timeouts, with the sweep's own time). Each sweep wakes a thread on a busy server's core, and visits every
     * connection: four a second at 65 s timeouts cost a kept-alive Netty 0.19% of its CPU (measured), and at tens of
     * thousands of connections the visits add up (docs/performance.md, at scale).
     */
    static long sweepPeriodMs(long idleMs, long headerMs) {
        long shorter = Math.min(idleMs > 0 ? idleMs : Long.MAX_VALUE, headerMs > 0 ? headerMs : Long.MAX_VALUE);
        return Math.max(50, Math.min(900, shorter / 20));
    }

    /**
     * From the first connection on, and without a timeout to keep too: the stamps still date the close
     * events' idle.
     */
    void start() {
        tracker.sweepConnections(c -> sweepPeriodMs(c.idleMs, c.headerMs), this::sweep);
    }

    void sweep() {
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        long periodMs = sweepPeriodMs(tracker.timeouts().idleMs, tracker.timeouts().headerMs);
        tracker.registry().forEach((channel, state) -> {
            try {
                NettyConnectionState s = (NettyConnectionState) state;
                if (!connections.http2(channel, s)) {
                    handshake(channel, s);
                    stamp(s);
                }
                NettyConnection c = (NettyConnection) s;
                if (c.closing) {
                    return;
                }
                // 0 when due, or so close that the counts' moving since the stamps is left to the check on the loop
                long inMs = untilDueMs(s, nowNanos, nowMillis);
                if (inMs < periodMs) {
                    c.closing = true;
                    try {
                        Object loop = c.api().eventLoop(channel);
                        if (inMs == 0) {
                            ((Executor) loop).execute(() -> closeIfDue(channel, s));
                        } else {
                            // a millisecond over: due there, not a rounding early
                            ((ScheduledExecutorService) loop).schedule(() -> closeIfDue(channel, s), inMs + 1,
                                    TimeUnit.MILLISECONDS);
                        }
                    } catch (RejectedExecutionException e) {
                        // its event loop has terminated, closing its connections itself
                        c.closing = false;
                    }
                }
            } catch (Throwable t) {
                tracker.failed(t);
            }
        });
    }

    /**
     * Milliseconds until a timeout runs out on the stamps as they are (the conditions of {@link #due}), or
     * {@link Long#MAX_VALUE} where none is running.
     */
    long untilDueMs(NettyConnectionState s, long nowNanos, long nowMillis) {
        NettyConnection c = (NettyConnection) s;
        long idleMs = tracker.timeouts().idleMs;
        long headerMs = tracker.timeouts().headerMs;
        long headerStart = s.headerStartNanos;
        boolean h2 = c.h2Active >= 0;
        if (!h2 && c.upgraded) {
            return Long.MAX_VALUE;
        }
        long until = Long.MAX_VALUE;
        boolean arriving = h2 || NettyConnections.headerArriving(s) || c.handshaking;
        if (headerMs > 0 && headerStart != 0 && arriving) {
            until = headerMs - TimeUnit.NANOSECONDS.toMillis(nowNanos - headerStart);
        }
        boolean waiting = h2 ? c.h2Active == 0 && headerStart == 0 : NettyConnections.waiting(s) && !c.handshaking;
        if (idleMs > 0 && waiting) {
            until = Math.min(until, idleMs - (nowMillis - s.idleSinceMillis));
        }
        return Math.max(0, until);
    }

    /**
     * Over TLS, the request's first byte is the handshake's: a connection that has decoded nothing yet and whose
     * handshake is under way (its ClientHello arriving, where a handler reads it before the TLS handler is chosen) is
     * timed by the header deadline, and its first header from its own first read.
     */
    private static void handshake(Object channel, NettyConnectionState s) throws ReflectiveOperationException {
        NettyConnection c = (NettyConnection) s;
        boolean now = false;
        if (c.tls != 0 && s.requestsIn == 0 && s.headerReads == 0) {
            Object ssl = c.api().sslHandler(channel);
            if (ssl != null) {
                c.tls = 1;
                now = c.api().handshaking(ssl);
            } else {
                // a ClientHello read before the TLS handler is chosen (SNI, Armeria): looked at again until it is
                Object hello = c.api().clientHelloHandler(channel);
                c.tls = hello == null ? 0 : -1;
                now = hello != null && c.api().helloArriving(hello);
            }
        }
        if (c.handshaking && !now) {
            c.handshaking = false;
            s.headerStartNanos = 0;
        } else if (now) {
            c.handshaking = true;
        }
    }

    /**
     * The times the counts do not carry: a wait begins when a response is counted, a header when its first
     * read is; seen here, so up to a sweep period late. The clock is read after the count, not at the sweep's
     * start: never early.
     */
    static void stamp(NettyConnectionState s) {
        NettyConnection c = (NettyConnection) s;
        long responses = s.responsesOut;
        if (responses != c.stampedResponses) {
            s.idleSinceMillis = System.currentTimeMillis();
            c.stampedResponses = responses;
        }
        if (!NettyConnections.headerArriving(s) && !c.handshaking) {
            if (s.headerStartNanos != 0) {
                // written only on a change: the state's cache line is the event loop's, per request
                s.headerStartNanos = 0;
            }
        } else {
            long requests = s.requestsIn;
            if (s.headerStartNanos == 0 || requests != c.stampedRequests) {
                // a header begun since the last sweep, or the next one after a request completed meanwhile
                s.headerStartNanos = System.nanoTime();
                c.stampedRequests = requests;
            }
        }
    }

    /**
     * The closer if a timeout has run out, else null; on the event loop, where the counts are current, none
     * for a wait or a header that began after the sweep's stamp.
     */
    String due(NettyConnectionState s, long nowNanos, long nowMillis) {
        NettyConnection c = (NettyConnection) s;
        long idleMs = tracker.timeouts().idleMs;
        long headerMs = tracker.timeouts().headerMs;
        long headerNanos = headerMs > 0 ? TimeUnit.MILLISECONDS.toNanos(headerMs) : -1;
        long headerStart = s.headerStartNanos;
        if (c.h2Active >= 0) {
            if (headerNanos > 0 && headerStart != 0 && nowNanos - headerStart >= headerNanos) {
                return CloseEvent.SERVER_HEADER;
            }
            return idleMs > 0 && c.h2Active == 0 && headerStart == 0 && nowMillis - s.idleSinceMillis >= idleMs
                    ? CloseEvent.SERVER_IDLE : null;
        }
        if (c.upgraded) {
            return null;
        }
        boolean arriving = NettyConnections.headerArriving(s) || c.handshaking;
        if (headerNanos > 0 && headerStart != 0 && arriving && s.requestsIn == c.stampedRequests
                && nowNanos - headerStart >= headerNanos) {
            return CloseEvent.SERVER_HEADER;
        }
        if (idleMs > 0 && NettyConnections.waiting(s) && !c.handshaking && s.responsesOut == c.stampedResponses
                && nowMillis - s.idleSinceMillis >= idleMs) {
            return CloseEvent.SERVER_IDLE;
        }
        return null;
    }

    /**
     * An idle HTTP/2 connection's end: its GOAWAY now, its close a grace later (Netty's own close writes the GOAWAY
     * and closes at once). A stream the peer sent before reading the GOAWAY then reaches an open socket, where the
     * handler refuses it (above the GOAWAY's last stream: the peer knows it was not processed and may retry it),
     * instead of meeting a closed one, whose reset would discard the GOAWAY unread. On the event loop.
     */
    private void closeGracefully(Object channel, NettyConnection c, Object handler) throws ReflectiveOperationException {
        c.api().h2.goAway(c.api().pipeline(channel), handler);
        long graceMs = tracker.timeouts().h2CloseGraceMs();
        ((ScheduledExecutorService) c.api().eventLoop(channel)).schedule(() -> {
            try {
                c.api().close(channel);
            } catch (Throwable t) {
                tracker.failed(t);
            }
        }, graceMs, TimeUnit.MILLISECONDS);
    }

    /** On the connection's event loop. */
    private void closeIfDue(Object channel, NettyConnectionState s) {
        NettyConnection c = (NettyConnection) s;
        try {
            // HTTP/2's counts are read, not kept by advice: read again here, where they are current
            boolean h2 = c.h2Active >= 0 && connections.http2(channel, s);
            String closer = due(s, System.nanoTime(), System.currentTimeMillis());
            if (closer == null) {
                return;
            }
            if (!h2 && !c.http && !(c.http = c.api().hasServerCodec(channel))) {
                if (!(closer.equals(CloseEvent.SERVER_HEADER) && c.handshaking && connections.servesHttp(c.parent))) {
                    // not an HTTP/1 connection (another protocol on Netty, or HTTP/2): not the agent's
                    tracker.registry().remove(channel);
                    return;
                }
                c.http = true; // an HTTP server's handshake, its codec to come: its close is logged
            }
            if (s.mark(closer, closer.equals(CloseEvent.SERVER_IDLE) ? NettyConnections.waitedMs(s) : 0)) {
                Object handler = h2 && closer.equals(CloseEvent.SERVER_IDLE) ? c.h2Handler() : null;
                if (handler != null && !c.api().h2.closesGracefully(handler)) {
                    closeGracefully(channel, c, handler);
                } else {
                    c.api().close(channel);
                }
            }
        } catch (Throwable t) {
            tracker.failed(t);
        } finally {
            c.closing = false;
        }
    }
}
