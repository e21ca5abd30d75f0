package io.outlast.instrumentation.netty;

/**
 * What the agent keeps for one Netty server connection beside the common {@code ConnectionState}. Written on
 * the connection's event loop, read by the agent's sweep.
 */
final class NettyConnection {
    final NettyApi api;
    /**
     * Whose state this is: one kept in a channel's attribute by an agent since reset is not the current
     * one's (its registry does not hold it).
     */
    final Object owner;
    /** The server channel that accepted it (a child's own reference: keeps nothing alive that it does not). */
    final Object parent;
    /*
     * Written per request on the event loop, so plain fields (a volatile write is a fence, measured): the
     * sweep may read them late, and decides nothing on them alone; the close is decided again on the event
     * loop, where they are current.
     */
    /** A request's body is being read (its headers are in, its last content is not). */
    boolean inBody;
    long responses;
    /** Seen an HTTP/1 request decoder on it: a connection to which HTTP's timeouts apply. */
    volatile boolean http;
    /** Switched protocols (WebSocket, h2c): HTTP/1's timeouts no longer apply. */
    volatile boolean upgraded;
    /** Its server shuts down: closed with its channel group, or told so (Vert.x 5's shutdown event). */
    volatile boolean shutdown;
    /** A close for a timeout is queued on the event loop. */
    volatile boolean closing;
    /** Reactor Netty's own idle timeout on this connection as the application set it (-1: none), -2 until seen. */
    volatile long ownIdleMs = -2;

    NettyConnection(Object owner, NettyApi api, Object parent) {
        this.owner = owner;
        this.api = api;
        this.parent = parent;
    }
}
