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
     * {@code PooledRefMetadata}), given what the pool's own predicate said.
     */
    public boolean evicts(Object pooledConnection, Object metadata, boolean ownVerdict) {
        return ownVerdict;
    }

    /** Exit of an {@code HttpClientOperations} constructor: a request begins on the channel. */
    public void requestStarted(Object channel) {
    }

    /**
     * Entry of {@code HttpClientOperations.onInboundNext(ctx, msg)} for a response's head ({@code keepAlive}: its
     * {@code Keep-Alive} header, or null) or its last content, or both.
     */
    public void response(Object channel, boolean head, String keepAlive, boolean last) {
    }

    /** Entry of {@code ChannelOperationsHandler.channelInactive(ctx)}: the channel is closed. */
    public void inactive(Object channel) {
    }
}
