package io.outlast.bootstrap;

/**
 * What advice inlined into Grizzly's classes calls (parameters are {@code Object}: the bootstrap loader cannot see
 * Grizzly). Until the agent installs the implementation every call does nothing.
 */
public abstract class GrizzlyHooks {
    private static final GrizzlyHooks NONE = new GrizzlyHooks() {
    };
    private static volatile GrizzlyHooks current = NONE;

    public static GrizzlyHooks get() {
        return current;
    }

    public static void set(GrizzlyHooks hooks) {
        current = hooks == null ? NONE : hooks;
    }

    /** Exit of {@code HttpServer.start()}: its listeners' filter chains are built. */
    public void started(Object httpServer) {
    }

    /** Exit of {@code IdleTimeoutFilter.handleAccept(FilterChainContext)}: a connection, in a chain that times idle. */
    public void accepted(Object idleFilter, Object connection) {
    }

    /**
     * Exit of {@code IdleTimeoutFilter$Resolver.getTimeoutMillis(Connection)}, which the idle check calls for each of its
     * connections every second: the deadline to use instead (where an attach meets a connection that waits already).
     */
    public long deadline(Object connection, long deadlineMillis) {
        return deadlineMillis;
    }

    /** Entry of {@code IdleTimeoutFilter$DefaultWorker.doWork(Connection)}: the idle check closes the connection. */
    public void idleExpired(Object connection) {
    }

    /** Exit of {@code SSLBaseFilter.notifyHandshakeComplete(Connection, SSLEngine)}. */
    public void handshakeDone(Object connection) {
    }

    /** Entry of the HTTP codec's {@code HttpServerFilter.handleRead(FilterChainContext)}: bytes of a request. */
    public void reading(Object connection) {
    }

    /** Entry of {@code HttpServerFilter.onHttpHeaderParsed}: a request's headers are in. */
    public void headerParsed(Object connection) {
    }

    /** Entry of {@code HttpServerFilter.handleEvent(FilterChainContext, FilterChainEvent)}. */
    public void event(Object connection, Object event) {
    }

    /** Entry of {@code NIOConnection.terminate0(CompletionHandler, CloseReason)}: the close, first call or not. */
    public void closing(Object connection, Object closeReason) {
    }
}
