package io.outlast.instrumentation.undertow;

import io.outlast.family.SweptConnectionState;

/** What the agent keeps for one Undertow connection (HTTP/1.1, or an HTTP/2 channel). */
final class UndertowConnection extends SweptConnectionState {
    /** When the current request's first byte arrived (Undertow armed its parse timer), while incomplete; else 0. */
    volatile long requestStartNanos;

    /** {@code support}: Undertow's API, or {@link UndertowTls} over TLS. */
    UndertowConnection(Object support, String server, Object local, Object remote, long openedMillis) {
        super(support, server, local, remote, openedMillis);
    }
}
