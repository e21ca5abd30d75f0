package io.outlast.family;

/** The timeouts a family applies, as the settings in force say; -1 where the setting leaves the server's own. */
public final class Timeouts {
    /**
     * How long an HTTP/2 connection stays open after the GOAWAY of its idle close: long enough for a stream the peer
     * sent before reading it to arrive and be refused (a proxy's round trip), not a close held open.
     */
    private static final long H2_CLOSE_GRACE_MS = 1000;

    public final long idleMs;
    public final long headerMs;
    /** The idle after which a client's pooled connection is retired, or -1 for the pool's own. */
    public final long clientIdleMs;
    /** How much before an upstream's idle a pooled connection is retired (the {@code margin} setting). */
    public final long marginMs;
    /** How long a stopping server keeps its kept-alive connections for the proxy to let go of ({@link Drain}); -1: off. */
    public final long drainMs;

    public Timeouts(long idleMs, long headerMs) {
        this(idleMs, headerMs, -1, 5000);
    }

    public Timeouts(long idleMs, long headerMs, long clientIdleMs, long marginMs) {
        this(idleMs, headerMs, clientIdleMs, marginMs, -1);
    }

    public Timeouts(long idleMs, long headerMs, long clientIdleMs, long marginMs, long drainMs) {
        this.idleMs = idleMs;
        this.headerMs = headerMs;
        this.clientIdleMs = clientIdleMs;
        this.marginMs = marginMs;
        this.drainMs = drainMs;
    }

    /** The grace between an idle HTTP/2 connection's GOAWAY and its close: 1 s, half the idle at most. */
    public long h2CloseGraceMs() {
        return Math.max(1, Math.min(H2_CLOSE_GRACE_MS, idleMs / 2));
    }

    /**
     * The idle a client retires a connection to an upstream that keeps it {@code upstreamMs}: the margin before, and
     * never more than half of it (an upstream of 2 s: 1 s), so that a short upstream idle still leaves one.
     */
    public static long retireBefore(long upstreamMs, long marginMs) {
        return upstreamMs - Math.min(marginMs, upstreamMs / 2);
    }

    /**
     * The idle after which a pooled connection is retired, given the idle its upstream announced on it
     * ({@code Keep-Alive: timeout=}, ms; -1 if none): the client idle in force, and never past the announced one;
     * -1 leaves the pool's own.
     */
    public long clientRetireMs(long announcedMs) {
        if (announcedMs < 0) {
            return clientIdleMs;
        }
        long announced = retireBefore(announcedMs, marginMs);
        return clientIdleMs < 0 ? announced : Math.min(clientIdleMs, announced);
    }
}
