package io.outlast.instrumentation.ktor;

import io.outlast.bootstrap.ConnectionState;

/** What the agent keeps for one CIO connection, from its pipeline's start to its job's completion. */
final class KtorConnection extends ConnectionState {
    /** When the reader began to wait for the next request's head (millis); 0 while a request is in. */
    volatile long waitingSinceMillis;
    /** The reader met the end of the input (the peer's FIN) or failed. */
    volatile boolean readerEnded;
    /** The reader's parse was cancelled with the pipeline. */
    volatile boolean readerCancelled;
    /** A parse of this connection's began under the agent (one met after the agent came may be in its first). */
    volatile boolean readerSeen;
    volatile long requests;
    /** CIO's own idle for this connection (millis), as its pipeline was given it. */
    volatile long ownIdleMs;
    /** When the connection's output was last flushed (millis): a response's end. */
    volatile long lastWriteMillis;
    /** When bytes of the awaited head first arrived (millis); 0 before. */
    volatile long headerStartMillis;

    KtorConnection(Object local, Object remote, long openedMillis) {
        super(null, KtorConnections.FAMILY, local, remote, openedMillis);
    }
}
