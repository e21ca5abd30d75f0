package io.outlast.bootstrap;

/**
 * One closed connection, as it is logged. Built on the server's (or client's) thread, formatted on the agent's. A
 * server's connection names its family as {@code server=}; a client pool's, as {@code client=}.
 */
public final class CloseEvent {
    public static final String SERVER_IDLE = "server-idle";
    public static final String SERVER_HEADER = "server-header";
    public static final String PEER = "peer";
    public static final String ERROR = "error";
    public static final String SHUTDOWN = "shutdown";
    public static final String SERVER = "server";
    /** Closed by the server during a drain at its stop ({@code drain=}): after a last response, or at the drain's end. */
    public static final String DRAIN = "drain";
    /** A client's pool retired the connection for its idle (the agent's limit or the pool's own). */
    public static final String CLIENT_IDLE = "client-idle";
    /** A client closed its connection for another reason of its own (a {@code Connection: close}, its lifetime). */
    public static final String CLIENT = "client";

    public final long timeMillis;
    public final String server;
    /** A {@code SocketAddress} or a server's own text, formatted by the log; null if packed or not known. */
    public final Object local;
    public final Object remote;
    /** The addresses as {@link PackedAddress}es, or 0. */
    public final long localPacked;
    public final long remotePacked;
    public final String closer;
    public final long idleMs;
    public final long requests;
    public final long ageMs;
    /** The protocol where not HTTP/1.1 ({@code h2}), else null; {@code requests} then counts its streams. */
    public final String protocol;
    /** A client pool's connection: {@link #server} is then the client's family, the remote its upstream. */
    public final boolean client;
    /**
     * A client's request that failed because the upstream closed the connection under it, reused after this
     * idle gap (ms): the race outlast prevents. -1 when no request failed.
     */
    public final long failedAfterIdleMs;

    public CloseEvent(long timeMillis, String server, Object local, Object remote, String closer,
                      long idleMs, long requests, long ageMs) {
        this(timeMillis, server, local, 0, remote, 0, closer, idleMs, requests, ageMs);
    }

    public CloseEvent(long timeMillis, String server, Object local, long localPacked, Object remote,
                      long remotePacked, String closer, long idleMs, long requests, long ageMs) {
        this(timeMillis, server, local, localPacked, remote, remotePacked, closer, idleMs, requests, ageMs, null);
    }

    public CloseEvent(long timeMillis, String server, Object local, long localPacked, Object remote,
                      long remotePacked, String closer, long idleMs, long requests, long ageMs, String protocol) {
        this(timeMillis, server, local, localPacked, remote, remotePacked, closer, idleMs, requests, ageMs, protocol,
                false, -1);
    }

    private CloseEvent(long timeMillis, String family, Object local, long localPacked, Object remote,
                       long remotePacked, String closer, long idleMs, long requests, long ageMs, String protocol,
                       boolean client, long failedAfterIdleMs) {
        this.timeMillis = timeMillis;
        this.server = family;
        this.local = local;
        this.remote = remote;
        this.localPacked = localPacked;
        this.remotePacked = remotePacked;
        this.closer = closer;
        this.idleMs = idleMs;
        this.requests = requests;
        this.ageMs = ageMs;
        this.protocol = protocol;
        this.client = client;
        this.failedAfterIdleMs = failedAfterIdleMs;
    }

    /** A client pool's connection closed; {@code failedAfterIdleMs} -1 unless a reused connection's request failed. */
    public static CloseEvent ofClient(long timeMillis, String family, long localPacked, Object local,
                                      long remotePacked, Object remote, String closer, long idleMs, long requests,
                                      long ageMs, long failedAfterIdleMs) {
        return new CloseEvent(timeMillis, family, local, localPacked, remote, remotePacked, closer, idleMs, requests,
                ageMs, null, true, failedAfterIdleMs);
    }

    /**
     * Closes a server decided on, as opposed to its peer's or a failure's; for a client's connection, the upstream
     * server's closes ({@code peer}).
     */
    public boolean serverInitiated() {
        if (client) {
            return PEER.equals(closer);
        }
        return !PEER.equals(closer) && !ERROR.equals(closer);
    }
}
