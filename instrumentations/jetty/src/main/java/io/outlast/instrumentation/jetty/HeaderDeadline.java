package io.outlast.instrumentation.jetty;

/** How often headers are checked against their deadline, and how far past it a close may come. */
final class HeaderDeadline {
    private HeaderDeadline() {
    }

    /** A tenth of the deadline, within 50-500 ms: late by at most that, and cheap at 65 s deadlines. */
    static long sweepPeriodMs(long headerMs) {
        return Math.max(50, Math.min(500, headerMs / 10));
    }

    /**
     * While a header is arriving, Jetty's idle timer (reset by every byte) must not fire before the
     * deadline does: it is held this far above the deadline, so that the sweep always comes first.
     */
    static long raisedIdleMs(long headerMs) {
        return headerMs + 2 * sweepPeriodMs(headerMs) + 1000;
    }
}
