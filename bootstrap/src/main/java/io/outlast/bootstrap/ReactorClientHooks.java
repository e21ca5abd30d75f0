package io.outlast.bootstrap;

/**
 * What advice inlined into Reactor Netty's HTTP client and its (shaded) connection pool calls. Parameters are
 * {@code Object}: the bootstrap loader cannot see Reactor Netty. Until the agent installs the implementation every
 * call does nothing.
 */
public abstract class ReactorClientHooks {
    private static final ReactorClientHooks NONE = new ReactorClientHooks() {
    };
    private static volatile ReactorClientHooks current = NONE;
    /**
     * The shortest idle at which any pooled connection is retired now (the client idle, or less where an upstream
     * announced less), or -1 for none: below it, {@link PoolEviction} answers without a hook.
     */
    private static volatile long retireFloorMs = -1;

    public static long retireFloorMs() {
        return retireFloorMs;
    }

    public static void retireFloorMs(long ms) {
        retireFloorMs = ms;
    }

    public static ReactorClientHooks get() {
        return current;
    }

    public static void set(ReactorClientHooks hooks) {
        current = hooks == null ? NONE : hooks;
    }

    /**
     * Exit of a pool config's {@code evictionPredicate()}, when what it returns is not the agent's: the predicate the
     * pool is to use instead (a {@link PoolEviction} around it).
     */
    public Object evictionPredicate(Object config, Object predicate) {
        return predicate;
    }

    /** Exit of a pool config's {@code destroyHandler()}, when what it returns is not the agent's: the one to use. */
    public Object destroyHandler(Object config, Object handler) {
        return handler;
    }

    /** From {@link PoolDestroy#apply}: the pool closes this pooled connection. */
    public void destroying(Object pooledConnection) {
    }

    /**
     * From {@link PoolEviction#test}: whether the pool retires this pooled connection ({@code metadata}: its
     * {@code PooledRefMetadata}), given what the pool's own predicate said and the pool's idle for it (ms; -1 if not
     * read), at or above {@link #retireFloorMs()}.
     */
    public boolean evicts(Object pooledConnection, Object metadata, boolean ownVerdict, long idleMs) {
        return ownVerdict;
    }

    /** Exit of the constructor of Reactor Netty's {@code PooledConnection}: a pooled connection is made on the channel. */
    public void pooled(Object pooled, Object channel) {
    }

    /** Entry of {@code HttpClientOperations.setNettyResponse(response)} for a response head with a {@code Keep-Alive} header. */
    public void keepAlive(Object channel, String keepAlive) {
    }

    /**
     * Entry of {@code HttpClientOperations.onInboundClose()}, or of {@code ChannelOperations.onInboundError} with an
     * I/O failure: the connection closed (or reset) under an exchange ({@code ops}, a server's too), which fails it if
     * its response had not begun.
     */
    public void inboundClosed(Object channel, Object ops) {
    }

    /** Entry of {@code ChannelOperationsHandler.channelInactive(ctx)} of a channel without a parent: it is closed. */
    public void inactive(Object channel) {
    }
}
