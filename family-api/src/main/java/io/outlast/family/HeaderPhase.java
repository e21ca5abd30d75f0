package io.outlast.family;

/** A server family's view of a connection, as the header deadline needs it; {@code S}: the family's state. */
public interface HeaderPhase<S extends SweptConnectionState> {
    /** Not in a header: waiting for a request, or past the headers of the current one. */
    long NONE = 0;
    /** In a header whose first byte the server did not time: the first sweep to see it stands in. */
    long UNTIMED = Long.MIN_VALUE;

    /** {@code System.nanoTime()} of the first byte of a request whose headers are incomplete, or NONE / UNTIMED. */
    long headerStartNanos(Object connection, S state) throws Exception;

    /**
     * For a connection not in a header: the read timeout the server will apply within the next header, if it will
     * time that header's first byte itself ({@link #headerStartNanos} then returns it, never UNTIMED): 0 where it
     * applies none. Negative (the default) where the next header's start would be UNTIMED: the sweep then looks at
     * the connection every period, to see the header begin.
     */
    default long timedHeaderReadTimeoutMs(Object connection, S state) throws Exception {
        return -1;
    }

    /** The server's own read timeout on the connection, reset by each byte it reads. */
    long readTimeoutMs(Object connection, S state) throws Exception;

    void setReadTimeoutMs(Object connection, S state, long ms) throws Exception;

    /**
     * Whether the read timeout may be held above the deadline now: not where the server armed the pending read
     * already and would keep the raised value for the read after it (Tomcat NIO2 during a TLS handshake).
     */
    default boolean mayHoldReadTimeout(Object connection, S state) throws Exception {
        return true;
    }

    /** Closes the connection the way the server closes on its own timeouts. */
    void close(Object connection, S state) throws Exception;
}
