package io.outlast.bootstrap;

/** One closed connection, as it is logged. Built on the server's thread, formatted on the agent's. */
public final class CloseEvent {
    public static final String SERVER_IDLE = "server-idle";
    public static final String SERVER_HEADER = "server-header";
    public static final String PEER = "peer";
    public static final String ERROR = "error";
    public static final String SHUTDOWN = "shutdown";
    public static final String SERVER = "server";

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
        this.timeMillis = timeMillis;
        this.server = server;
        this.local = local;
        this.remote = remote;
        this.localPacked = localPacked;
        this.remotePacked = remotePacked;
        this.closer = closer;
        this.idleMs = idleMs;
        this.requests = requests;
        this.ageMs = ageMs;
        this.protocol = protocol;
    }

    /** Closes the server decided on, as opposed to the peer's or a failure's. */
    public boolean serverInitiated() {
        return !PEER.equals(closer) && !ERROR.equals(closer);
    }
}
