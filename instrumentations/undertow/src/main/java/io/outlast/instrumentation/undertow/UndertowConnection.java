package io.outlast.instrumentation.undertow;

import io.outlast.family.SweptConnectionState;

/** What the agent keeps for one Undertow connection (HTTP/1.1, or an HTTP/2 channel). */
final class UndertowConnection extends SweptConnectionState {
    /** When the current request's first byte arrived (Undertow armed its parse timer), while incomplete; else 0. */
    volatile long requestStartNanos;

    /** {@code support}: Undertow's API, {@link UndertowTls} over TLS, or {@link UndertowAlpn} while ALPN chooses. */
    UndertowConnection(Object support, String server, Object local, Object remote, long openedMillis) {
        super(support, server, local, remote, openedMillis);
    }
}
