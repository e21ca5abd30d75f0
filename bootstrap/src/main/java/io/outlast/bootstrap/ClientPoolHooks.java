package io.outlast.bootstrap;

/**
 * What advice inlined into a blocking client's pool and connections calls (Apache HttpClient, OkHttp, the JDK's): each family's
 * holder ({@link ApacheClientHooks}, {@link OkHttpHooks}, {@link JdkClientHooks}) points at one. A connection is the client's own object for
 * it. Parameters are {@code Object}: the bootstrap loader cannot see the client. Until the agent installs an
 * implementation every call does nothing.
 */
public abstract class ClientPoolHooks {
    public static final ClientPoolHooks NONE = new ClientPoolHooks() {
    };
    /** The client idle in force (ms), or -1 for the pools' own: read by advice without a hook. */
    private static volatile long clientIdleMs = -1;
    /**
     * The shortest idle at which any pooled connection is retired now (the client idle, or less where an upstream
     * announced less), or -1 for none: below it, advice asks no hook whether to retire one.
     */
    private static volatile long retireFloorMs = -1;

    public static long clientIdleMs() {
        return clientIdleMs;
    }

    public static long retireFloorMs() {
        return retireFloorMs;
    }

    public static void limits(long clientIdle, long retireFloor) {
        clientIdleMs = clientIdle;
        retireFloorMs = retireFloor;
    }

    /**
     * Exit of {@code DefaultConnectionKeepAliveStrategy.getKeepAliveDuration} for a response with a {@code Keep-Alive}
     * header: how long (ms) to keep the connection instead of what the upstream announced, or -1 to keep what it
     * returned.
     */
    public long announced(String keepAlive) {
        return -1;
    }

    /** A response head's {@code Keep-Alive} header, on a client that does not read it itself. */
    public void keepAlive(Object connection, String keepAlive) {
    }

    /** A response's headers on it, in the client's own type (the family reads its {@code Keep-Alive}). */
    public void headers(Object connection, Object headers) {
    }

    /**
     * How long (ms) a connection going back to its pool may stay there, given what the client would keep it
     * ({@code givenMs}; 0 or less: for ever): the limit in force for it where that is shorter.
     */
    public long keepAliveMs(Object connection, long givenMs) {
        return givenMs;
    }

    /**
     * The idle timeout (ms) a connection keeps while back in its pool, given its own ({@code ownMs}; 0: none): the
     * limit in force where that is shorter. Its own is then kept for {@link #ownIdleMs}: for a client whose one idle
     * timeout bounds both a pooled connection's wait and a request's (Jetty's).
     */
    public long pooledIdleMs(Object connection, long ownMs) {
        return ownMs;
    }

    /** A connection's own idle timeout (ms), to restore as a request takes it from its pool; -1: it kept its own. */
    public long ownIdleMs(Object connection) {
        return -1;
    }

    /**
     * Whether to retire this pooled connection, idle this long (ms, at or above {@link #retireFloorMs()}), instead of
     * handing it out; if so it is marked retired, and the advice closes it.
     */
    public boolean retires(Object connection, long idleMs) {
        return false;
    }

    /**
     * Who is closing the connection, known before its close comes ({@link CloseEvent#CLIENT_IDLE}: its pool found it
     * expired; {@link CloseEvent#CLIENT}: the client's own close): for a client whose closes all end in one place that
     * cannot tell. The first said stands.
     */
    public void closedBy(Object connection, String closer) {
    }

    /** A pool is made (where the family checks the client's version). */
    public void poolMade(Object pool) {
    }

    /**
     * {@link #retires} for a connection the pool is handing out, idle as long as it has been back in its pool: for a
     * pool that retires idle connections only in the background, on its own time.
     */
    public boolean retiresIdle(Object connection) {
        return false;
    }

    /** The pool's connection is open on {@code socket}. */
    public void opened(Object connection, Object socket) {
    }

    /** A request's head goes out on it. */
    public void requesting(Object connection) {
    }

    /** It is back in its pool, idle from now. */
    public void passivated(Object connection) {
    }

    /** The pool's check at a lease found the upstream's close. */
    public void stale(Object connection) {
    }

    /** An exchange's send or receive on it threw this failure; null: it closed under a request, no failure told. */
    public void failed(Object connection, Throwable failure) {
    }

    /** It is closed, from its {@code socket}. */
    public void closing(Object connection, Object socket) {
    }

    /** Entry ({@code true}) and exit of a pool's own close: its connections close with it, the client's closes. */
    public void poolClosing(boolean closing) {
    }
}
