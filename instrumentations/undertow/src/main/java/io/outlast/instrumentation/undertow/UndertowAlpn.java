package io.outlast.instrumentation.undertow;

/** What the agent keeps for a TLS connection while ALPN waits for its handshake: when it was accepted. */
final class UndertowAlpn {
    final UndertowApi api;
    final long acceptedNanos;

    UndertowAlpn(UndertowApi api, long acceptedNanos) {
        this.api = api;
        this.acceptedNanos = acceptedNanos;
    }
}
