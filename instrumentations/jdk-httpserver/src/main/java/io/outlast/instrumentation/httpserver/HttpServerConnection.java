package io.outlast.instrumentation.httpserver;

import io.outlast.family.SweptConnectionState;

/** What the agent keeps for one connection of the JDK's server. */
final class HttpServerConnection extends SweptConnectionState {
    /** The server that accepted it. */
    final Object server;
    /** When the current request's first byte arrived, while its headers are incomplete; else 0. */
    volatile long requestStartNanos;

    HttpServerConnection(HttpServerApi api, Object server, String family, Object local, Object remote,
                         long openedMillis) {
        super(api, family, local, remote, openedMillis);
        this.server = server;
    }

    HttpServerApi api() {
        return (HttpServerApi) support;
    }
}
