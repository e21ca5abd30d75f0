package io.outlast.instrumentation.grizzly;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the agent keeps of a listener's filter chain: its idle filter's own timeout and whether it serves TLS. Refers
 * to no filter: the idle filter holds its open connections, and they their chain.
 */
final class GrizzlyListener {
    final GrizzlyApi api;
    /** The idle filter's own timeout, put back where the agent's idle is unset (negative: none). */
    final long ownIdleMs;
    final boolean secure;
    /** Reported once, by whichever meets it with an address first: the server's start or a connection. */
    final AtomicBoolean reported = new AtomicBoolean();

    GrizzlyListener(GrizzlyApi api, long ownIdleMs, boolean secure) {
        this.api = api;
        this.ownIdleMs = ownIdleMs;
        this.secure = secure;
    }
}
