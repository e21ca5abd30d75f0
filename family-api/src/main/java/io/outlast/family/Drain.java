package io.outlast.family;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionState;
import io.outlast.bootstrap.PackedAddress;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stopping server's kept-alive connections, kept open for its proxy to let go of ({@code drain=}). The family has
 * the server stop accepting and answer every request with {@code Connection: close}; a connection the proxy closes is
 * let go; what is left at the end is closed, marked {@code drain}. A stop closing idle connections at once is the 502
 * race of every rolling deploy: the proxy may be writing a request onto one. Waited for on the stopping thread (the
 * server's own stop, or the agent's exit hook), never on an I/O thread.
 */
public final class Drain {
    /** How often the wait looks at what is left: a stop is not held measurably past the last connection. */
    private static final long LOOK_MS = 20;
    /** How long the end waits for the closes it began to complete. */
    private static final long CLOSING_MS = 1000;
    /** After its end, how long closes still come from it: those it began, which a server completes on its own threads. */
    private static final long CLOSES_AFTER_END_MS = 5000;

    /** The family's close of a connection left at the drain's end: marked {@code drain} with its idle, then closed. */
    public interface Closer {
        void close(Object connection, ConnectionState state) throws Exception;
    }

    private final ConnectionTracker tracker;
    /** The stopping server's local ports; null: every connection of the family (the JVM exiting). */
    private final int[] ports;
    public final long drainMs;
    private final long startNanos = System.nanoTime();
    private final long endNanos;
    private volatile boolean ended;
    private volatile long endedNanos;
    /** Its begin was logged (it found connections open): its end is too. */
    volatile boolean announced;

    Drain(ConnectionTracker tracker, int[] ports, long drainMs) {
        this.tracker = tracker;
        this.ports = ports == null ? null : ports.clone();
        this.drainMs = drainMs;
        this.endNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(drainMs);
    }

    public String family() {
        return tracker.family();
    }

    /** Whether the connection is one this drain holds. */
    public boolean covers(ConnectionState s) {
        return ports == null || covers(localPort(s));
    }

    /** Whether connections on this local port are this drain's. */
    public boolean covers(int port) {
        if (ports == null) {
            return true;
        }
        for (int p : ports) {
            if (p == port) {
                return true;
            }
        }
        return false;
    }

    /** Whether this drain holds every connection those ports would have. */
    boolean includes(int[] others) {
        if (others == null) {
            return ports == null;
        }
        for (int p : others) {
            if (!covers(p)) {
                return false;
            }
        }
        return true;
    }

    /** The ports held, for the status ("all" when the whole family drains). */
    public String ports() {
        if (ports == null) {
            return "all";
        }
        StringBuilder b = new StringBuilder();
        for (int p : ports) {
            b.append(b.length() == 0 ? "" : ",").append(p);
        }
        return b.toString();
    }

    /** The connections still open. */
    public int left() {
        AtomicInteger n = new AtomicInteger();
        tracker.registry().forEach((c, s) -> {
            if (covers(s)) {
                n.incrementAndGet();
            }
        });
        return n.get();
    }

    /** How long until what is left is closed. */
    public long leftMs() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()));
    }

    public boolean ended() {
        return ended;
    }

    /** Whether the connection's close is this drain's: held by it, while it lasts or just after. */
    boolean closes(ConnectionState s) {
        return !stale() && covers(s);
    }

    /** Ended long enough ago that no close is its any more. */
    boolean stale() {
        return ended && System.nanoTime() - endedNanos > TimeUnit.MILLISECONDS.toNanos(CLOSES_AFTER_END_MS);
    }

    /**
     * Waits until no connection is left or the drain's end, then closes what is left with {@code closer}. Returns
     * how many it closed. Interrupted, it ends there (the stop goes on; the server's own stop closes the rest).
     */
    public int await(Closer closer) {
        AtomicInteger closed = new AtomicInteger();
        try {
            while (left() > 0 && System.nanoTime() < endNanos) {
                Thread.sleep(LOOK_MS);
            }
            tracker.registry().forEach((c, s) -> {
                if (covers(s)) {
                    try {
                        closer.close(c, s);
                        closed.incrementAndGet();
                    } catch (Throwable t) {
                        tracker.failed(t);
                    }
                }
            });
            // the closes complete on the server's threads: their events are in before the stop (or the exit) goes on
            long closing = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSING_MS);
            while (closed.get() > 0 && left() > 0 && System.nanoTime() < closing) {
                Thread.sleep(LOOK_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        end(closed.get());
        return closed.get();
    }

    /** Once, whichever of its waiters comes first. */
    private synchronized void end(int closed) {
        if (ended) {
            return;
        }
        endedNanos = System.nanoTime();
        ended = true;
        tracker.drainEnded();
        if (!announced) {
            return;
        }
        tracker.context().info(family() + " drained (port " + ports() + ") in "
                + TimeUnit.NANOSECONDS.toMillis(endedNanos - startNanos) + "ms; " + closed + " left open closed at its end");
    }

    /** The idle a connection left at the end is marked with: since its last request began waiting, as the family reads it. */
    public static void markLeft(ConnectionState s, long idleMs) {
        s.mark(CloseEvent.DRAIN, idleMs);
    }

    /** A connection's local port, or -1 when its address is not known. */
    static int localPort(ConnectionState s) {
        long packed = s.localPacked();
        if (packed != 0) {
            return PackedAddress.port(packed);
        }
        Object local = s.local();
        if (local instanceof InetSocketAddress) {
            return ((InetSocketAddress) local).getPort();
        }
        if (local != null) {
            String text = local.toString();
            try {
                return Integer.parseInt(text.substring(text.lastIndexOf(':') + 1).trim());
            } catch (NumberFormatException notAPort) {
                return -1;
            }
        }
        return -1;
    }
}
