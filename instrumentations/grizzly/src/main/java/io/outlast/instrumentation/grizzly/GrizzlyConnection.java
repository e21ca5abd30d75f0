package io.outlast.instrumentation.grizzly;

import io.outlast.family.SweptConnectionState;

/** What the agent keeps for one connection of a Grizzly HTTP listener. */
final class GrizzlyConnection extends SweptConnectionState {
    /** Its headers are in and its response is not done yet. */
    volatile boolean inRequest;
    /** Its TLS handshake is not done yet: timed as a header, from the accept. */
    volatile boolean handshaking;
    /** The idle the connection's waits get now (ms; negative: none): the agent's, or the filter's own. */
    volatile long idleMs;

    GrizzlyConnection(GrizzlyListener listener, Object local, Object remote, long openedMillis) {
        super(listener, "grizzly", local, remote, openedMillis);
    }

    GrizzlyListener listener() {
        return (GrizzlyListener) support;
    }
}
