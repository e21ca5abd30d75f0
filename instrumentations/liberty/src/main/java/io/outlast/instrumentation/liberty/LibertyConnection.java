package io.outlast.instrumentation.liberty;

import io.outlast.bootstrap.ConnectionState;

/** What the agent keeps for one Liberty connection, from its first read to its TCP connection's close. */
final class LibertyConnection extends ConnectionState {
    /**
     * When its wait for a request began (millis): the accept's first read, or the read after a response; 0 after. On
     * HTTP/2: its last stream's end, or its first read of frames.
     */
    volatile long waitingSinceMillis;
    /** When the head being read began to arrive (millis); 0 when none is under way. */
    volatile long headerStartMillis;
    /** The accept's first read was issued: a later one of its kind reads more of a head. */
    volatile boolean firstReadIssued;
    volatile long requests;
    /** Its endpoint was looked at for the report (once per connection: a report's address is a string to make). */
    boolean reported;
    /** Its endpoint's HTTP/2 idle was looked at for the report. */
    boolean h2Reported;
    /**
     * Its TCP channel's read context, for the sweep's backstop; weak: the registry's key (the connection) must
     * stay collectable through its state.
     */
    volatile java.lang.ref.WeakReference<Object> tcpRead;
    /** Its pending read is to be timed out at once by the sweep (the 408 read after an expired wait). */
    volatile boolean endReadNow;
    /** Liberty's version where the connection was met. */
    final String version;

    LibertyConnection(Object local, Object remote, long openedMillis, String version) {
        super(null, LibertyConnections.FAMILY, local, remote, openedMillis);
        this.version = version;
    }
}
