package io.outlast.family;

import io.outlast.bootstrap.CloseEvent;

import java.util.concurrent.TimeUnit;

/**
 * The header deadline for servers that have none (or only a gap between reads): a sweep on the agent's
 * timer thread closes connections whose headers are not complete {@code header} after their first byte.
 * While a header arrives, the server's own read timeout, reset by every byte, is held above the deadline
 * so that it cannot cut into it, and put back once the headers are in.
 * <p>
 * A connection waiting for a request whose next header the server will time itself is left alone until that
 * header could be due (or the server's read timeout within it could cut in), less two periods: at tens of
 * thousands of idle connections the sweep then costs a look at each once a deadline, not every period
 * (docs/performance.md, at scale).
 */
public final class HeaderDeadline<S extends SweptConnectionState> {
    private final ConnectionTracker tracker;
    private final HeaderPhase<S> phase;
    /** The settings the connections' next looks were set under: a change brings every connection's forward. */
    private Timeouts lookedUnder;

    public HeaderDeadline(ConnectionTracker tracker, HeaderPhase<S> phase) {
        this.tracker = tracker;
        this.phase = phase;
    }

    /** What the server's read timeout is held at while a header arrives: above the deadline and a sweep's lateness. */
    static long raisedMs(long headerMs) {
        return headerMs + 2 * sweepPeriodMs(headerMs) + 1000;
    }

    /**
     * What a family sets as the server's read timeout on a connection met mid-header, before the sweep sees it:
     * the value the sweep would hold it at, so that the server's own timer cannot fire first.
     */
    public static long heldMs(long headerMs) {
        return raisedMs(headerMs);
    }

    /** A tenth of the deadline, within 50-500 ms: that late at most, and cheap at 65 s deadlines. */
    static long sweepPeriodMs(long headerMs) {
        return Math.max(50, Math.min(500, headerMs / 10));
    }

    /**
     * How long a connection not in a header may go unlooked at: until a header that began just after this look could
     * be due, or the server's read timeout within it ({@code readTimeoutMs}, 0: none) could close it before the sweep
     * holds it, less two periods (the sweep that comes after, and the one that closes); 0 where the server does not
     * time the next header ({@code readTimeoutMs} negative) or that leaves less than a period.
     */
    static long unwatchedMs(long readTimeoutMs, long headerMs, long periodMs) {
        if (readTimeoutMs < 0) {
            return 0;
        }
        long soonest = readTimeoutMs == 0 ? headerMs : Math.min(headerMs, readTimeoutMs);
        long unwatched = soonest - 2 * periodMs;
        return unwatched >= periodMs ? unwatched : 0;
    }

    /** Sweeps while a header deadline is configured, from the family's first connection on. */
    public void start() {
        tracker.sweepConnections(c -> c.headerMs > 0 ? sweepPeriodMs(c.headerMs) : -1, this::sweep);
    }

    @SuppressWarnings("unchecked") // the registry holds the family's states only
    void sweep() {
        long headerMs = tracker.timeouts().headerMs;
        if (headerMs <= 0) {
            return;
        }
        boolean resettled = tracker.timeouts() != lookedUnder;
        lookedUnder = tracker.timeouts();
        long now = System.nanoTime();
        long deadline = TimeUnit.MILLISECONDS.toNanos(headerMs);
        long raisedMs = raisedMs(headerMs);
        long periodMs = sweepPeriodMs(headerMs);
        tracker.registry().forEach((connection, state) -> {
            S s = (S) state;
            if (!resettled && s.sweepAgainNanos != 0 && s.sweepAgainNanos - now > 0) {
                return;
            }
            s.sweepAgainNanos = 0;
            try {
                check(connection, s, now, deadline, raisedMs, periodMs);
            } catch (Throwable t) {
                tracker.failed(t);
            }
        });
    }

    private void check(Object connection, S s, long now, long deadline, long raisedMs, long periodMs)
            throws Exception {
        long start = phase.headerStartNanos(connection, s);
        if (start == HeaderPhase.NONE) {
            s.headerStartNanos = 0;
            long saved = s.savedIdleMs;
            if (saved > 0) {
                s.savedIdleMs = -1;
                // only if still the agent's value: the server may have moved on to a timeout of its own
                if (phase.readTimeoutMs(connection, s) == raisedMs) {
                    phase.setReadTimeoutMs(connection, s, saved);
                }
                return;
            }
            long unwatchedMs = unwatchedMs(phase.timedHeaderReadTimeoutMs(connection, s),
                    TimeUnit.NANOSECONDS.toMillis(deadline), periodMs);
            if (unwatchedMs > 0) {
                long again = now + TimeUnit.MILLISECONDS.toNanos(unwatchedMs);
                s.sweepAgainNanos = again != 0 ? again : 1;
            }
            return;
        }
        if (start == HeaderPhase.UNTIMED) {
            start = s.headerStartNanos != 0 ? s.headerStartNanos : now;
        }
        s.headerStartNanos = start;
        if (now - start >= deadline) {
            if (s.mark(CloseEvent.SERVER_HEADER, 0)) {
                phase.close(connection, s);
            }
            return;
        }
        long current = phase.readTimeoutMs(connection, s);
        if (s.savedIdleMs < 0 && current > 0 && current < raisedMs && current <= Integer.MAX_VALUE
                && phase.mayHoldReadTimeout(connection, s)) {
            s.savedIdleMs = (int) current;
            phase.setReadTimeoutMs(connection, s, raisedMs);
        }
    }
}
