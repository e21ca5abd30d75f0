package io.outlast.bootstrap;

/**
 * A client pool's connection to an upstream, as the agent follows it from its making: the pool's own object for it
 * (whose metadata counts its requests and idle), the idle the upstream announced on it ({@code Keep-Alive: timeout=}),
 * and a request its upstream's close failed. Nothing here is written per request.
 */
public class ClientConnectionState extends ConnectionState {
    /** The idle the upstream announced on this connection ({@code Keep-Alive: timeout=}, ms), or -1. */
    public volatile long announcedIdleMs = -1;
    /** The idle gap (ms) before a request the upstream's close failed, or -1. */
    public volatile long failedAfterIdleMs = -1;
    /** The client's own object for the connection (a pool's), weak: it must not outlive the connection. */
    public final java.lang.ref.WeakReference<Object> pooled;

    public ClientConnectionState(Object pooled, String family) {
        super(null, family, null, null, System.currentTimeMillis());
        this.pooled = new java.lang.ref.WeakReference<>(pooled);
    }
}
