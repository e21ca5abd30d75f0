package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionState;
import io.outlast.core.ConnectionTracker;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Netty's idle and header timeouts, which Netty lacks: a sweep on the agent's timer thread finds connections
 * past either, and closes each on its own event loop after checking again there, where reads happen (a
 * request that arrived meanwhile keeps its connection). Nothing runs on an event loop but that check.
 */
final class NettyTimeouts {
    private final ConnectionTracker tracker;

    NettyTimeouts(NettyConnections connections) {
        this.tracker = connections.tracker();
    }

    /** A twentieth of the shorter timeout, within 50-250 ms: that late at most. */
    static long sweepPeriodMs(long idleMs, long headerMs) {
        long shorter = Math.min(idleMs > 0 ? idleMs : Long.MAX_VALUE, headerMs > 0 ? headerMs : Long.MAX_VALUE);
        return Math.max(50, Math.min(250, shorter / 20));
    }

    /** Sweeps while either timeout is configured. */
    void start() {
        tracker.context().sweep(c -> c.idleMs > 0 || c.headerMs > 0 ? sweepPeriodMs(c.idleMs, c.headerMs) : -1,
                this::sweep);
    }

    void sweep() {
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        tracker.registry().forEach((channel, s) -> {
            try {
                String closer = due(s, nowNanos, nowMillis);
                NettyConnection c = (NettyConnection) s.support;
                if (closer != null && !c.closing) {
                    c.closing = true;
                    try {
                        ((Executor) c.api.eventLoop(channel)).execute(() -> closeIfDue(channel, s));
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

    /** The closer if a timeout has run out, else null. */
    private String due(ConnectionState s, long nowNanos, long nowMillis) {
        NettyConnection c = (NettyConnection) s.support;
        if (c.upgraded) {
            return null;
        }
        long idleMs = tracker.config().idleMs;
        long headerMs = tracker.config().headerMs;
        long headerNanos = headerMs > 0 ? TimeUnit.MILLISECONDS.toNanos(headerMs) : -1;
        long headerStart = s.headerStartNanos;
        if (headerNanos > 0 && headerStart != 0 && nowNanos - headerStart >= headerNanos) {
            return CloseEvent.SERVER_HEADER;
        }
        if (idleMs > 0 && NettyConnections.waiting(s, c) && nowMillis - s.idleSinceMillis >= idleMs) {
            return CloseEvent.SERVER_IDLE;
        }
        return null;
    }

    /** On the connection's event loop. */
    private void closeIfDue(Object channel, ConnectionState s) {
        NettyConnection c = (NettyConnection) s.support;
        try {
            String closer = due(s, System.nanoTime(), System.currentTimeMillis());
            if (closer == null) {
                return;
            }
            if (!c.http && !(c.http = c.api.hasServerCodec(channel))) {
                // not an HTTP/1 connection (another protocol on Netty, or HTTP/2): not the agent's
                tracker.registry().remove(channel);
                return;
            }
            if (s.mark(closer, closer.equals(CloseEvent.SERVER_IDLE) ? System.currentTimeMillis() - s.idleSinceMillis : 0)) {
                c.api.close(channel);
            }
        } catch (Throwable t) {
            tracker.failed(t);
        } finally {
            c.closing = false;
        }
    }
}
