package io.outlast.family;

/** The timeouts a family applies, as the settings in force say; -1 where the setting leaves the server's own. */
public final class Timeouts {
    public final long idleMs;
    public final long headerMs;

    public Timeouts(long idleMs, long headerMs) {
        this.idleMs = idleMs;
        this.headerMs = headerMs;
    }
}
