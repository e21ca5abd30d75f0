package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.NettyConnectionState;

import java.lang.ref.WeakReference;

/**
 * What the agent keeps for one Netty server connection: the state the advice counts into, and the family's own
 * fields, in one object (the sweep visits every connection each period: one object's memory, not two). Written on
 * the connection's event loop, read by the agent's sweep.
 */
final class NettyConnection extends NettyConnectionState {
    /**
     * Whose state this is: one kept in a channel's attribute by an agent since reset is not the current
     * one's (its registry does not hold it).
     */
    final Object owner;
    /** The server channel that accepted it (a child's own reference: keeps nothing alive that it does not). */
    final Object parent;
    /*
     * The sweep's view of the counts the advice keeps in the connection's state (requests, responses, header
     * reads): when a count it last saw moves, it stamps the time (so a stamp is late by up to a sweep period,
     * never early). Written by the sweep only.
     */
    /** The responses count at the sweep's last idle stamp. */
    volatile long stampedResponses;
    /** The requests count at the sweep's last header stamp (the header after that many requests). */
    volatile long stampedRequests = -1;
    /** Seen an HTTP/1 request decoder on it: a connection to which HTTP's timeouts apply. */
    volatile boolean http;
    /** Switched protocols (WebSocket, h2c): HTTP/1's timeouts no longer apply. */
    volatile boolean upgraded;
    /** Its server shuts down: closed with its channel group, or told so (Vert.x 5's shutdown event). */
    volatile boolean shutdown;
    /** Has a TLS handler: 1, none: 0, not looked yet: -1. Looked at by the sweep while nothing is decoded. */
    volatile int tls = -1;
    /** Its TLS handshake is under way, as the sweep last saw: its first request is arriving. */
    volatile boolean handshaking;
    /** A close for a timeout is queued on the event loop. */
    volatile boolean closing;
    /** Speaking HTTP/2: its connection handler, held weakly (the handler holds the channel); null until seen. */
    volatile WeakReference<Object> h2;
    /** HTTP/2: streams open as last seen (-1: not HTTP/2), and the peer's last stream then. */
    volatile int h2Active = -1;
    volatile int h2LastStream;
    /** Looks for an HTTP/2 handler after an upgrade (h2c's is there by then; a WebSocket's never). */
    volatile int upgradedLooks;
    /** Reactor Netty's own idle timeout on this connection as the application set it (-1: none), -2 until seen. */
    volatile long ownIdleMs = -2;

    /** Netty's API as the channel's loader sees it (the state's {@code support}). */
    NettyApi api() {
        return (NettyApi) support;
    }

    /** The HTTP/2 connection handler, while the channel lives; null if not HTTP/2 or not seen yet. */
    Object h2Handler() {
        WeakReference<Object> ref = h2;
        return ref == null ? null : ref.get();
    }

    NettyConnection(Object owner, NettyApi api, Object parent, String server, Object local, Object remote,
                    long openedMillis) {
        super(api, server, local, remote, openedMillis);
        this.owner = owner;
        this.parent = parent;
    }
}
