package io.outlast.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * What the agent knows about one open connection. Kept outside the server's objects (in a
 * {@link ConnectionRegistry}) because retransformed classes cannot gain fields. A family whose advice keeps
 * counts of its own has a subclass ({@link NettyConnectionState}); the header deadline's sweep has its own; every
 * field here is on each of tens of thousands of connections (docs/performance.md, at scale).
 */
public class ConnectionState {
    private static final AtomicReferenceFieldUpdater<ConnectionState, String> CLOSER =
            AtomicReferenceFieldUpdater.newUpdater(ConnectionState.class, String.class, "closer");

    /** What the family's code needs to reach the connection; must not refer to the connection itself. */
    public final Object support;
    public final String server;
    /**
     * Addresses, taken while the socket is open (some servers clear them on close): IPv4 ones packed, others
     * as the server's own {@code SocketAddress} objects or text, formatted only when the close is logged.
     */
    private volatile Object local;
    private volatile Object remote;
    private volatile long localPacked;
    private volatile long remotePacked;
    public final long openedMillis;

    private volatile String closer;
    private volatile long idleAtMarkMs = -1;

    /** Nano time of the first byte of a request whose headers are not complete yet; 0 when none. */
    public volatile long headerStartNanos;
    /** When the connection last began waiting for a request (opened, or a response completed). */
    public volatile long idleSinceMillis;
    /** Switched to HTTP/2 ({@code "h2"}); null: HTTP/1.1. Requests counted are then its streams. */
    public volatile String protocol;

    public ConnectionState(Object support, String server, Object local, Object remote, long openedMillis) {
        this.support = support;
        this.server = server;
        addresses(local, remote);
        this.openedMillis = openedMillis;
        this.idleSinceMillis = openedMillis;
    }

    /** Either may be null (not known). */
    public void addresses(Object local, Object remote) {
        long l = PackedAddress.pack(local);
        long r = PackedAddress.pack(remote);
        this.local = l != 0 ? null : local;
        this.remote = r != 0 ? null : remote;
        this.localPacked = l;
        this.remotePacked = r;
    }

    public boolean addressed() {
        return local != null || localPacked != 0;
    }

    /** The local address when it is not packed, else null. */
    public Object local() {
        return local;
    }

    public Object remote() {
        return remote;
    }

    /** The local address packed ({@link PackedAddress}), or 0. */
    public long localPacked() {
        return localPacked;
    }

    public long remotePacked() {
        return remotePacked;
    }

    /**
     * Records who started closing the connection. The first mark wins: a server's idle half-close is
     * followed by the peer's FIN, and that FIN must not rename the closer.
     */
    public boolean mark(String closer, long idleMs) {
        if (CLOSER.compareAndSet(this, null, closer)) {
            idleAtMarkMs = idleMs;
            return true;
        }
        return false;
    }

    /** Withdraws a mark made ahead of a close the server then declined (HTTP/2 decides only once asked). */
    public void unmark(String closer) {
        CLOSER.compareAndSet(this, closer, null);
    }

    public String closer() {
        return closer;
    }

    public long idleAtMarkMs() {
        return idleAtMarkMs;
    }
}
