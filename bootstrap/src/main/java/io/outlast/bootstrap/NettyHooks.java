package io.outlast.bootstrap;

import java.lang.ref.WeakReference;
import java.net.SocketAddress;

/**
 * What advice inlined into Netty's classes (and Reactor Netty's, Vert.x's) calls. Parameters are
 * {@code Object}: the bootstrap loader cannot see Netty. Until the agent installs the implementation every
 * call does nothing.
 */
public abstract class NettyHooks {
    private static final NettyHooks NONE = new NettyHooks() {
    };
    private static volatile NettyHooks current = NONE;
    /**
     * The name of the channel attribute that holds a connection's state, for the per-request hooks: a
     * channel's own attributes are at hand where a shared map's entry is not (that lookup was the agent's
     * costliest step per kept-alive request, measured).
     */
    public static final String STATE_KEY = "io.outlast.connection";
    /**
     * The {@link #STATE_KEY} attribute key of the first Netty met, so that the advice per request need not
     * look it up by name; advice in another copy of Netty (another class loader) finds it is not its own
     * {@code AttributeKey} and looks its own up. Weak: it must not keep that Netty's class loader alive.
     */
    private static volatile WeakReference<Object> stateKey;

    /** The {@link #STATE_KEY} attribute key of the first Netty met, or null. */
    public static Object stateKey() {
        WeakReference<Object> k = stateKey;
        return k == null ? null : k.get();
    }

    /** Keeps a Netty's {@link #STATE_KEY} attribute key, unless one is kept already. */
    public static void stateKey(Object key) {
        if (stateKey() == null) {
            stateKey = new WeakReference<>(key);
        }
    }

    public static NettyHooks get() {
        return current;
    }

    public static void set(NettyHooks hooks) {
        current = hooks == null ? NONE : hooks;
    }

    /**
     * Entry of {@code DefaultChannelPipeline.fireChannelActive()} of a server's connection (its parent a server
     * channel), with what the advice read from Netty directly: no reflection per connection. Returns the
     * connection's state, which the advice keeps in the channel's {@link #STATE_KEY} attribute, or null.
     */
    public Object active(Object channel, Object parent, SocketAddress local, SocketAddress remote) {
        return null;
    }

    /**
     * Entry of {@code HttpObjectDecoder.decode(ctx, in, out)} of an {@code HttpRequestDecoder} whose channel's
     * {@link #STATE_KEY} attribute is not a {@code ConnectionState} the advice counts into already (a new
     * connection, one open before an attach): returns the state the advice counts this decode into, or null
     * for one the agent does not follow (a client channel, an upgraded one).
     */
    public Object decoding(Object decoder, Object channel, Object state) {
        return null;
    }

    /**
     * Entry of {@code HttpObjectEncoder.encode(ctx, msg, out)} of an {@code HttpResponseEncoder}, for a
     * response's head ({@code status} its code, else -1) or its last content ({@code last}), or both; with the
     * channel's {@link #STATE_KEY} attribute. Only where the advice does not count it itself: an informational
     * response, or a state not counted into.
     */
    public void encoding(Object encoder, Object channel, Object state, int status, boolean last) {
    }

    /**
     * Entry of {@code DefaultChannelPipeline$HeadContext.close(ctx, promise)} of a server's connection: it is
     * closed through its pipeline; {@code stopping} when its server channel is closed or its event loop shuts
     * down.
     */
    public void closing(Object channel, boolean stopping) {
    }

    /** Entry of {@code DefaultChannelPipeline.close()} of a server channel: a close asked for, from any thread, before it runs. */
    public void closeRequested(Object channel) {
    }

    /** Entry of {@code DefaultChannelPipeline.fireExceptionCaught(cause)}. */
    public void exception(Object channel, Throwable cause) {
    }

    /** Entry of {@code DefaultChannelPipeline.fireUserEventTriggered(event)}. */
    public void userEvent(Object channel, Object event) {
    }

    /**
     * Entry of {@code DefaultChannelGroup.close(matcher)}: a group of connections closed at once, which is how
     * servers shut down (Vert.x 4.5, applications following Netty's guide).
     */
    public void groupClosing(Object group) {
    }

    /** Entry of {@code DefaultChannelPipeline.fireChannelInactive()}: the connection is closed. */
    public void inactive(Object channel) {
    }

    /**
     * Entry of an idle handler's {@code channelIdle(ctx, event)} (Netty's {@code IdleStateHandler}, Reactor
     * Netty's subclass): true drops the event, one that would end a wait sooner than the agent's idle.
     */
    public boolean idleFiring(Object handler, Object ctx, Object event) {
        return false;
    }

    /** Exit of {@code channelIdle}. */
    public void idleFired() {
    }

    /** Entry of Reactor Netty's {@code IdleTimeoutHandler.addIdleTimeoutHandler(pipeline, idleTimeout, ..)}: the idle it arms. */
    public Object reactorIdle(Object pipeline, Object idleTimeout) {
        return idleTimeout;
    }

    /** Entry of gRPC's {@code MaxConnectionIdleManager(long, Ticker)}: the idle, in nanoseconds, it closes at. */
    public long grpcIdleNanos(long maxConnectionIdleNanos) {
        return maxConnectionIdleNanos;
    }

    /**
     * Entry of Armeria's {@code AbstractKeepAliveHandler(Channel, String name, Timer, long idleTimeoutMillis, ..)}
     * ({@code name}: "server" or "client"): the idle it closes the connection at.
     */
    public long armeriaIdle(Object channel, String name, long idleTimeoutMillis) {
        return idleTimeoutMillis;
    }

    /** Entry of Armeria's {@code AbstractKeepAliveHandler$ConnectionIdleTimeoutTask.run(ctx)}: its handler's timer fired. */
    public void armeriaIdleTimer(Object keepAliveHandler) {
    }

    /** Exit of Vert.x's {@code TCPSSLOptions.getIdleTimeout()}. */
    public int vertxIdle(Object options, int idleTimeout) {
        return idleTimeout;
    }

    /** Exit of Vert.x's {@code TCPSSLOptions.getIdleTimeoutUnit()}. */
    public Object vertxIdleUnit(Object options, Object unit) {
        return unit;
    }
}
