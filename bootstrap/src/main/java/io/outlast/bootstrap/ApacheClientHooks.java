package io.outlast.bootstrap;

/**
 * What advice inlined into Apache HttpClient 5's classic pool and connections calls. Parameters are {@code Object}:
 * the bootstrap loader cannot see HttpClient. Until the agent installs the implementation every call does nothing.
 */
public abstract class ApacheClientHooks {
    private static final ApacheClientHooks NONE = new ApacheClientHooks() {
    };
    private static volatile ApacheClientHooks current = NONE;
    /** The client idle in force (ms), or -1 for the pool's own: read by the release advice without a hook. */
    private static volatile long clientIdleMs = -1;

    public static long clientIdleMs() {
        return clientIdleMs;
    }

    public static void clientIdleMs(long ms) {
        clientIdleMs = ms;
    }

    public static ApacheClientHooks get() {
        return current;
    }

    public static void set(ApacheClientHooks hooks) {
        current = hooks == null ? NONE : hooks;
    }

    /**
     * Exit of {@code DefaultConnectionKeepAliveStrategy.getKeepAliveDuration} for a response with a {@code Keep-Alive}
     * header: how long (ms) to keep the connection instead of what the upstream announced, or -1 to keep what it
     * returned.
     */
    public long announced(String keepAlive) {
        return -1;
    }

    /** Exit of a managed connection's {@code bind}: it is open on {@code socket}. */
    public void opened(Object connection, Object socket) {
    }

    /** Entry of a managed connection's {@code onRequestSubmitted}: a request's head went out on it. */
    public void requesting(Object connection) {
    }

    /** Exit of a managed connection's {@code passivate()}: it is back in its pool, idle from now. */
    public void passivated(Object connection) {
    }

    /** Exit of {@code isStale()} that answered true: the pool found the upstream's close at a lease. */
    public void stale(Object connection) {
    }

    /** An exchange's send or receive on a client connection threw this I/O failure. */
    public void failed(Object connection, Throwable failure) {
    }

    /** Entry of a managed connection's {@code close}: it is closed, from its {@code socket}. */
    public void closing(Object connection, Object socket) {
    }

    /** Entry ({@code true}) and exit of a pool manager's {@code close(CloseMode)}: its connections close with it. */
    public void poolClosing(boolean closing) {
    }
}
