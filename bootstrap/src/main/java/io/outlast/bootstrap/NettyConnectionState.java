package io.outlast.bootstrap;

/**
 * A Netty connection's state: the common one, and the counts the advice inlined into Netty's codec keeps
 * itself, on the connection's event loop. The family extends it with its own fields: one object per connection.
 */
public class NettyConnectionState extends ConnectionState {
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

    public NettyConnectionState(Object support, String server, Object local, Object remote, long openedMillis) {
        super(support, server, local, remote, openedMillis);
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
}
