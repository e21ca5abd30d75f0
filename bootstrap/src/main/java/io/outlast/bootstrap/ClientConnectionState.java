package io.outlast.bootstrap;

/**
 * A client pool's connection to an upstream: when it was last in use, how many requests it carried, whether one is
 * waiting for its response now, and the idle the upstream announced on it ({@code Keep-Alive: timeout=}).
 */
public final class ClientConnectionState extends ConnectionState {
    /** Nano time the connection last finished a response (or began a request): its idle counts from there. */
    public volatile long lastActiveNanos;
    public volatile int requests;
    /** A request sent and its response not yet begun: a close by the upstream now fails it. */
    public volatile boolean awaitingResponse;
    /** The idle (ms) before the request in flight, if the connection was reused for it; -1 for its first. */
    public volatile long reuseGapMs = -1;
    /** The idle the upstream announced on this connection ({@code Keep-Alive: timeout=}, ms), or -1. */
    public volatile long announcedIdleMs = -1;

    public ClientConnectionState(Object support, String family, Object local, Object remote) {
        super(support, family, local, remote, System.currentTimeMillis());
        this.lastActiveNanos = System.nanoTime();
    }

    /** A request begins on the connection. */
    public void requestStarted() {
        long now = System.nanoTime();
        reuseGapMs = requests == 0 ? -1 : (now - lastActiveNanos) / 1_000_000;
        requests++;
        awaitingResponse = true;
        lastActiveNanos = now;
    }

    /** Its response began: the upstream has answered, a close now fails nothing already sent. */
    public void responseStarted() {
        awaitingResponse = false;
        lastActiveNanos = System.nanoTime();
    }

    /** Its response ended: the connection goes back to its pool. */
    public void responseEnded() {
        lastActiveNanos = System.nanoTime();
    }

    public long idleMs() {
        return awaitingResponse ? 0 : (System.nanoTime() - lastActiveNanos) / 1_000_000;
    }
}
