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

    public Timeouts(long idleMs, long headerMs) {
        this.idleMs = idleMs;
        this.headerMs = headerMs;
    }

    /** The grace between an idle HTTP/2 connection's GOAWAY and its close: 1 s, half the idle at most. */
    public long h2CloseGraceMs() {
        return Math.max(1, Math.min(H2_CLOSE_GRACE_MS, idleMs / 2));
    }
}
