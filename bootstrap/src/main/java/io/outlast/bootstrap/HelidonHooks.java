package io.outlast.bootstrap;

/**
 * What advice inlined into Helidon 4's WebServer calls (parameters are {@code Object}: the bootstrap loader cannot
 * see Helidon). Helidon serves each connection on a thread of its own, reading it blocking: the calls about a
 * connection's reads come on that thread. Until the agent installs the implementation every call does nothing.
 */
public abstract class HelidonHooks {
    private static final HelidonHooks NONE = new HelidonHooks() {
    };
    private static volatile HelidonHooks current = NONE;

    public static HelidonHooks get() {
        return current;
    }

    public static void set(HelidonHooks hooks) {
        current = hooks == null ? NONE : hooks;
    }

    /** Exit of {@code LoomServer.start()}: its listeners (a map of name to {@code ServerListener}), bound. */
    public void listening(Object listeners) {
    }

    /** Entry of {@code ConnectionHandler.run()}: an accepted connection, on the thread that will serve it. */
    public void accepted(Object handler) {
    }

    /** Entry of {@code ConnectionHandler.closeChannel(String)}: the connection's thread closes it. */
    public void closing(Object handler) {
    }

    /**
     * Exit of a read from the network on the current thread ({@code NioSocket.get()}, {@code NioSocket.read(ByteBuffer)}
     * under TLS, {@code PlainSocket.get()}): {@code bytes} read, -1 the peer's end of stream, with what it threw.
     */
    public void read(long bytes, Throwable thrown) {
    }

    /**
     * Exit of a read of the connection's plain bytes on the current thread ({@code NioSocket.get()},
     * {@code TlsNioSocket.get()} decrypted, {@code PlainSocket.get()}): what HTTP/2 frames begin with.
     */
    public void received(byte[] bytes) {
    }

    /**
     * Exit of {@code TlsNioSocket.doHandshake(HandshakeStatus)}: a handshake finished on this thread; {@code bytesAfter}
     * read with it and not decrypted yet (a request sent right behind the client's last handshake message).
     */
    public void handshakeDone(int bytesAfter) {
    }

    /**
     * Entry of {@code Http1Prologue.readPrologue()}, on the connection's thread: the wait for a request begins, unless
     * its reader holds a pipelined request's first bytes already.
     */
    public void awaitingRequest(Object reader) {
    }

    /** Exit of {@code Http1Headers.readHeaders(HttpPrologue)}, on the connection's thread: a request's headers are in. */
    public void headersRead(Object reader) {
    }

    /**
     * Exit of {@code Http2ConnectionSelector.connection(ctx)} and {@code Http2Upgrader.upgrade(ctx, ...)}: the
     * connection speaks HTTP/2 from now on.
     */
    public void http2(Object connectionHandler) {
    }

    /**
     * Entry of {@code IdleTimeoutHandler.run()}, Helidon's own idle check, on its timer's thread: true where the hooks
     * made it themselves ({@code connections} a supplier of the listener's, {@code timeout} a Duration), and Helidon's
     * is skipped.
     */
    public boolean ownIdleCheck(Object connections, Object timeout) {
        return false;
    }
}
