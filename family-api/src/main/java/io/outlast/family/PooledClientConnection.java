package io.outlast.family;

import io.outlast.bootstrap.ClientConnectionState;

/**
 * A pooled connection of a client, keyed by the client's connection object. Written by the thread that holds its
 * lease (or its event loop), one at a time; read at its close, which a pool's evictor may run.
 */
final class PooledClientConnection extends ClientConnectionState {
    /** When it went back to its pool (ns), or 0 while leased. */
    volatile long idleSinceNanos;
    volatile int requests;
    /** The idle gap (ms) before its latest request, or -1 before its first reuse. */
    volatile long gapMs = -1;
    /** Its own idle timeout (ms) while a shorter one holds it in its pool, or -1. */
    volatile long ownIdleMs = -1;

    PooledClientConnection(Object connection, String family) {
        super(connection, family);
    }

    long idleMs(long nowNanos) {
        long since = idleSinceNanos;
        return since == 0 ? 0 : (nowNanos - since) / 1_000_000;
    }
}
