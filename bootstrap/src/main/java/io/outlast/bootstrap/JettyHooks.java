package io.outlast.bootstrap;

/**
 * What advice inlined into Jetty's classes calls. Parameters are {@code Object} because this class is
 * loaded by the bootstrap loader, which cannot see Jetty. The agent installs the implementation; until
 * then every call does nothing, so advice that runs before installation is harmless.
 */
public abstract class JettyHooks {
    private static final JettyHooks NONE = new JettyHooks() {
    };
    private static volatile JettyHooks current = NONE;

    public static JettyHooks get() {
        return current;
    }

    public static void set(JettyHooks hooks) {
        current = hooks == null ? NONE : hooks;
    }

    /** Exit of {@code AbstractConnector.doStart()}. */
    public void connectorStarted(Object connector) {
    }

    /** Entry of {@code Server.doStop()}: with a drain set, returns once the server's connections have drained. */
    public void serverStopping(Object server) {
    }

    /** Entry of {@code AbstractConnector.doStop()}: with a drain set, returns once its connections have drained. */
    public void connectorStopping(Object connector) {
    }

    /**
     * Exit of {@code HttpConnection.SendCallback.process()} that is to shut the output after a kept-alive response: true
     * keeps the connection open (a drain answers its next request with {@code Connection: close}).
     */
    public boolean keepOpenAfterResponse(Object sendCallback) {
        return false;
    }

    /** Exit of {@code AbstractConnector.getShutdownIdleTimeout()} (10-12): the value the shutdown is to use. */
    public long shutdownIdleTimeout(Object connector, long ms) {
        return ms;
    }

    /** Exit of {@code AbstractConnector.onEndPointOpened(EndPoint)}. */
    public void endPointOpened(Object connector, Object endPoint) {
    }

    /** Entry of {@code AbstractConnector.onEndPointClosed(EndPoint)}: once per socket. */
    public void endPointClosed(Object connector, Object endPoint) {
    }

    /** Entry of {@code IdleTimeout.checkIdleTimeout()}: the idle timer of any endpoint fired. */
    public void idleCheck(Object idleTimeout) {
    }

    /** Entry of {@code AbstractEndPoint.onIdleExpired(TimeoutException)}; returns the idle time in ms. */
    public long idleExpiring(Object endPoint) {
        return -1;
    }

    /** Exit of {@code AbstractEndPoint.onIdleExpired(TimeoutException)}. */
    public void idleExpired(Object endPoint, long idleMs) {
    }

    /**
     * Entry of {@code HTTP2Connection.onIdleExpired}: true if the agent ends the connection itself (its GOAWAY now,
     * the close a grace later), Jetty's own immediate close then skipped.
     */
    public boolean h2IdleExpired(Object connection) {
        return false;
    }

    /** Entry of {@code AbstractEndPoint.shutdownInput()}: the peer's FIN was read. */
    public void inputShutdown(Object endPoint) {
    }

    /** Entry of {@code AbstractEndPoint.shutdownOutput()}: the server's FIN (after its close_notify, over TLS). */
    public void outputShutdown(Object endPoint) {
    }

    /** Entry of {@code AbstractEndPoint.close(Throwable)}. */
    public void closing(Object endPoint, Throwable cause) {
    }
}
