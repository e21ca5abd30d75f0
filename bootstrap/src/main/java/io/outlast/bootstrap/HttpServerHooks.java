package io.outlast.bootstrap;

/**
 * What advice inlined into the JDK's HTTP server ({@code sun.net.httpserver}, module jdk.httpserver, in
 * the platform class loader) calls. Parameters are {@code Object}: only {@code java.*} types may appear.
 */
public abstract class HttpServerHooks {
    private static final HttpServerHooks NONE = new HttpServerHooks() {
    };
    private static volatile HttpServerHooks current = NONE;

    public static HttpServerHooks get() {
        return current;
    }

    public static void set(HttpServerHooks hooks) {
        current = hooks == null ? NONE : hooks;
    }

    /** Entry of {@code ServerImpl.stop(int)}: with a drain set, returns once the server's connections have drained. */
    public void stopping(Object server) {
    }

    /**
     * Entry of {@code ExchangeImpl.sendResponseHeaders}: true to close the connection after this response (a drain),
     * its {@code Connection: close} header set.
     */
    public boolean closeAfterResponse(Object connection, Object responseHeaders) {
        return false;
    }

    /** Exit of {@code ServerImpl.start()}. */
    public void started(Object server) {
    }

    /** Entry of {@code ServerImpl.markNewlyAccepted(HttpConnection)}: a new connection. */
    public void accepted(Object server, Object connection) {
    }

    /** Entry of {@code ServerImpl.requestStarted(HttpConnection)}: the first byte of a request is readable. */
    public void requestStarted(Object server, Object connection) {
    }

    /** Entry of {@code ServerImpl.markIdle(HttpConnection)}: a response is done, the next wait begins. */
    public void idle(Object server, Object connection) {
    }

    /** Exit of the {@code ExchangeImpl} constructor: a request's headers are read. */
    public void headersRead(Object connection) {
    }

    /** Entry of {@code ServerImpl$IdleTimeoutTask.closeConnections(Set, long)}: the interval to use instead. */
    public long idleInterval(Object server, long intervalMs) {
        return intervalMs;
    }

    /** Exit of {@code ServerImpl$IdleTimeoutTask.closeConnections(Set, long)}. */
    public void idleSweepDone() {
    }

    /** Entry of {@code ServerImpl$Exchange.run()}. */
    public void exchangeStarted(Object connection) {
    }

    /** Exit of {@code ServerImpl$Exchange.run()}. */
    public void exchangeDone() {
    }

    /** Exit of {@code Request.requestLine()}: null is the peer's FIN, a throwable a reset or failure. */
    public void requestLineRead(boolean endOfStream, Throwable thrown) {
    }

    /** Exit of {@code SSLStreams.doHandshake(HandshakeStatus)}: a TLS handshake finished on this thread. */
    public void handshakeDone() {
    }

    /** Exit of {@code SSLStreams.recvData(ByteBuffer)}: decrypted bytes (or the peer's close) read on this thread. */
    public void tlsDataRead() {
    }

    /** Entry of {@code HttpConnection.close()}. */
    public void closing(Object connection) {
    }
}
