package io.outlast.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * What the agent knows about one open connection. Kept outside the server's objects (in a
 * {@link ConnectionRegistry}) because retransformed classes cannot gain fields.
 */
public final class ConnectionState {
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
    /**
     * The server's idle timeout, saved while the agent raised it so that it cannot cut into a header
     * wait; -1 when not raised.
     */
    public volatile long savedIdleMs = -1;

    /** Requests completed on the connection, for servers that do not count them. */
    public volatile long requests;
    /** When the current request's first byte arrived, while its headers are incomplete; 0 otherwise. */
    public volatile long requestStartNanos;
    /** When the connection last began waiting for a request (opened, or a response completed). */
    public volatile long idleSinceMillis;

    /*
     * Counted by advice inlined into the server's own per-request code, on the connection's thread (Netty):
     * plain fields and no clock, so that a request costs the agent a few additions, not a fence or a clock
     * read. The agent's sweep reads them late and stamps the times.
     */
    /** The advice counts into these fields itself, without a hook call. */
    public boolean counted;
    /** Requests whose headers are complete ({@link #requests}, volatile, is the other families' count). */
    public long requestsIn;
    /** Responses whose last content is written. */
    public long responsesOut;
    /** Reads decoded outside a request's body: a header's bytes arriving. */
    public long headerReads;
    /** {@link #headerReads} when the last request's headers were complete: a header is arriving while they differ. */
    public long headerReadsDone;
    /** A request's body is being read (its headers are in, its last content is not). */
    public boolean inBody;

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
     * One object a decode put out, in order: a request's headers are complete with it, or a request's last
     * content (or both, a full request). Called by advice on the connection's thread (Netty).
     */
    public void decoded(boolean request, boolean last) {
        if (request) {
            requestsIn++;
            headerReadsDone = headerReads;
            inBody = true;
        }
        if (last) {
            inBody = false;
        }
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

    public String closer() {
        return closer;
    }

    public long idleAtMarkMs() {
        return idleAtMarkMs;
    }
}
