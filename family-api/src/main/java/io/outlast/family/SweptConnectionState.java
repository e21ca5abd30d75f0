package io.outlast.family;

import io.outlast.bootstrap.ConnectionState;

/**
 * The state of a connection whose header deadline the agent's sweep keeps ({@link HeaderDeadline}), and whose
 * requests the family counts in its hooks: Jetty, Tomcat, Undertow and the JDK server (not Netty, whose advice
 * counts in its own fields and whose sweep is its own).
 */
public class SweptConnectionState extends ConnectionState {
    /** Requests completed on the connection (HTTP/2: its streams). */
    public volatile long requests;
    /**
     * The server's read timeout, saved while the sweep raised it so that it cannot cut into a header wait; -1 when not
     * raised. An int: a read timeout above 24 days is not raised.
     */
    public volatile int savedIdleMs = -1;
    /** When the sweep looks at the connection again (nano time), or 0: at its next pass. The sweep's thread's only. */
    public long sweepAgainNanos;

    public SweptConnectionState(Object support, String server, Object local, Object remote, long openedMillis) {
        super(support, server, local, remote, openedMillis);
    }
}
