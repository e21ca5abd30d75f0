package io.outlast.bootstrap;

/**
 * What advice inlined into Tomcat's classes calls (parameters are {@code Object}: the bootstrap loader
 * cannot see Tomcat). Until the agent installs the implementation every call does nothing.
 */
public abstract class TomcatHooks {
    private static final TomcatHooks NONE = new TomcatHooks() {
    };
    private static volatile TomcatHooks current = NONE;

    public static TomcatHooks get() {
        return current;
    }

    public static void set(TomcatHooks hooks) {
        current = hooks == null ? NONE : hooks;
    }

    /**
     * Entry of {@code AbstractEndpoint.pause()} and {@code stop()}: with a drain set, returns once the endpoint's
     * connections have drained.
     */
    public void endpointStopping(Object endpoint) {
    }

    /** Entry of {@code Http11Processor.prepareResponse()}: true to answer with {@code Connection: close} (a drain). */
    public boolean closeAfterResponse(Object socketWrapper) {
        return false;
    }

    /** Exit of {@code AbstractEndpoint.start()}. */
    public void endpointStarted(Object endpoint) {
    }

    /**
     * Entry of {@code NioEndpoint$NioSocketWrapper.getLastRead()}, which only the poller's timeout pass calls:
     * about once a second for each connection waiting to read.
     */
    public void timeoutCheck(Object socketWrapper) {
    }

    /**
     * Exit of the {@code SocketWrapperBase} constructor: a new connection (NIO and NIO2) of the endpoint, whose
     * {@code maxKeepAliveRequests} it passes.
     */
    public void created(Object socketWrapper, Object endpoint, int maxKeepAliveRequests) {
    }

    /**
     * Whether {@link #requestDone} is wanted for NIO connections too. Tomcat counts a NIO connection's
     * requests and times its last write itself, so the agent reads those at its close instead of a hook per
     * request; it cannot count them where {@code maxKeepAliveRequests} is 1 or unlimited.
     */
    public boolean everyRequest() {
        return false;
    }

    /**
     * Entry of {@code Http11InputBuffer.nextRequest()}: a request completed, the next wait begins. NIO2
     * connections only, and NIO ones while {@link #everyRequest()}.
     */
    public void requestDone(Object socketWrapper) {
    }

    /**
     * A NIO read failed: {@code EOFException} is the peer's FIN. {@code lastWrite}: Tomcat's time of the
     * connection's last write, in millis.
     */
    public void readFailed(Object socketWrapper, Throwable thrown, long lastWrite) {
    }

    /**
     * Entry of {@code SocketWrapperBase.setReadTimeout(long)}: the timeout Tomcat is about to arm, replaced
     * by what this returns (NIO2 captures it in each pending read, so it must be right when it is set). Only
     * while none is armed yet (the first wait), with the socket's JDK channel for its addresses.
     */
    public long readTimeout(Object socketWrapper, long timeoutMs, Object ioChannel) {
        return timeoutMs;
    }

    /**
     * Entry of the first {@code SocketWrapperBase.close()}, with what the advice read from Tomcat directly: whether its
     * endpoint stops (not running, or paused), the socket's error, its current processor, its last write
     * (NIO; else -1) and its {@code keepAliveLeft} (counted down from {@code maxKeepAliveRequests} as each
     * request arrives, where that is above 1).
     */
    public void closing(Object socketWrapper, boolean stopping, Throwable error, Object processor, long lastWrite,
                        int keepAliveLeft) {
    }

    /**
     * Exit of every {@code SocketWrapperBase.close()}: the connection is closed (Tomcat's flag is set), and a state
     * made for it since {@link #closing} is not a connection to report.
     */
    public void closed(Object socketWrapper) {
    }

    /** Exit of {@code Http2Protocol.getKeepAliveTimeout()}: HTTP/2's idle between streams, to use instead. */
    public long h2KeepAlive(Object protocol, long keepAliveMs) {
        return keepAliveMs;
    }

    /**
     * Exit of {@code Http2UpgradeHandler.setConnectionTimeoutForStreamCount(int)} that left no deadline for a stream
     * count no longer true: none is open now. The keep-alive deadline to arm instead (millis), -1 for none.
     */
    public long h2Rearmed(Object handler) {
        return -1;
    }

    /** Exit of {@code Http2UpgradeHandler.init(WebConnection)}: the connection speaks HTTP/2 from now on. */
    public void h2Started(Object socketWrapper, Object protocol, Object handler) {
    }

    /**
     * Entry of {@code Http2UpgradeHandler.closeConnection(Http2Exception)} ({@code timedOut}: with none, its
     * keep-alive ran out) and of its {@code close()}: the highest stream processed, and when the idle ran out.
     */
    public void h2Closing(Object socketWrapper, boolean timedOut, int lastStreamId, long connectionTimeout) {
    }

    /**
     * Entry of {@code Http2UpgradeHandler.timeoutAsync(long)}, about once a second for each HTTP/2 connection: its
     * keep-alive deadline ({@code connectionTimeout}, millis; -1 for none) as it should be. 0 means at once.
     */
    public long h2Deadline(Object socketWrapper, Object handler, long deadline) {
        return deadline;
    }

    /**
     * Entry of {@code Http2UpgradeHandler.upgradeDispatch(TIMEOUT)}, with the connection's keep-alive deadline: what
     * the dispatch returns instead of closing, the connection kept open; null lets Tomcat close it.
     */
    public Object h2TimedOut(Object socketWrapper, Object handler, long deadline) {
        return null;
    }
}
