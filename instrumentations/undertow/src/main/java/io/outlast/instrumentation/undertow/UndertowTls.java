package io.outlast.instrumentation.undertow;

/** What the agent keeps for an HTTPS connection: its TLS channel, where the sweep reads whether a handshake is under way. */
final class UndertowTls {
    final UndertowApi api;
    final Object channel;

    UndertowTls(UndertowApi api, Object channel) {
        this.api = api;
        this.channel = channel;
    }
}
