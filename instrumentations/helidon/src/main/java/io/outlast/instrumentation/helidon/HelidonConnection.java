package io.outlast.instrumentation.helidon;

import io.outlast.family.SweptConnectionState;

import java.nio.channels.SocketChannel;

/**
 * What the agent keeps for one Helidon connection. Written by the connection's own thread (its reads, its requests)
 * and read by the agent's sweeps: waiting for a request, in a request's header, or serving it.
 */
final class HelidonConnection extends SweptConnectionState {
    /** The listener that accepted it. */
    final Object listener;
    /** Its socket: the header deadline closes it here, never through a lock the connection's thread may hold. */
    final SocketChannel channel;
    /** Waiting for a request (since {@code idleSinceMillis}): nothing of it has arrived yet. */
    volatile boolean waiting = true;
    /** When the first byte of a request (or of the handshake) arrived, while its headers are incomplete; else 0. */
    volatile long requestStartNanos;
    /** HTTP/2: when the agent's GOAWAY went out, ahead of the close a grace later; else 0. The sweep's own. */
    long goAwayNanos;

    HelidonConnection(HelidonApi api, Object listener, SocketChannel channel, long openedMillis) {
        super(api, "helidon", api.local(channel), api.remote(channel), openedMillis);
        this.listener = listener;
        this.channel = channel;
    }

    HelidonApi api() {
        return (HelidonApi) support;
    }
}
