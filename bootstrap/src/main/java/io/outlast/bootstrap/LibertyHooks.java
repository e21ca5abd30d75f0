package io.outlast.bootstrap;

import java.io.IOException;

/**
 * What advice inlined into Open Liberty's channel framework calls (parameters are {@code Object}: the bootstrap loader
 * cannot see Liberty). Until the agent installs the implementation every call does nothing.
 */
public abstract class LibertyHooks {
    private static final LibertyHooks NONE = new LibertyHooks() {
    };
    private static volatile LibertyHooks current = NONE;

    public static LibertyHooks get() {
        return current;
    }

    public static void set(LibertyHooks hooks) {
        current = hooks == null ? NONE : hooks;
    }

    /**
     * Entry of {@code TCPReadRequestContextImpl.read(long, TCPReadCompletedCallback, boolean, int)}: an asynchronous
     * read of a connection, for its callback, with its timeout (ms; 0 the channel's own). The timeout to use instead.
     */
    public int reading(Object readContext, Object callback, boolean forceQueue, int timeout) {
        return timeout;
    }

    /** Entry of {@code HttpInboundLink.handleNewRequest()}: a request's head parsed whole. */
    public void requestIn(Object httpLink) {
    }

    /** Entry of a read callback's {@code error(VirtualConnection, TCPReadRequestContext, IOException)}. */
    public void readFailed(Object connection, IOException failure) {
    }

    /**
     * Entry of {@code H2InboundLink.close(VirtualConnection, null)}: a stream of the HTTP/2 connection ended (the link
     * arms its idle close if none is open), with the connection's own {@code VirtualConnection}.
     */
    public void h2StreamEnded(Object h2Link, Object connection) {
    }

    /**
     * Entry of {@code H2MuxTCPReadCallback.error(VirtualConnection, TCPReadRequestContext, IOException)}: an HTTP/2
     * connection's read of frames failed. True where the hook read on instead (a timeout before the connection's idle
     * ran out): Liberty's handling, a GOAWAY and the close, is skipped then.
     */
    public boolean h2ReadFailed(Object h2Link, Object connection, Object readContext, IOException failure) {
        return false;
    }

    /** Entry of {@code TCPConnLink.close(VirtualConnection, Exception)}: the socket's end. */
    public void closing(Object tcpConnection, Object connection, Exception cause) {
    }
}
