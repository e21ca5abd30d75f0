package io.outlast.core.stats;

import io.outlast.bootstrap.CloseEvent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one client family's pooled connections to one upstream add up to since the agent came: by closer, the idle
 * at which the upstream closed them (its real timeout shows there), and the requests that failed on a connection
 * reused after an idle gap (each one the race).
 */
public final class UpstreamStats {
    static final String[] CLOSERS = {CloseEvent.CLIENT_IDLE, CloseEvent.PEER, CloseEvent.ERROR, CloseEvent.CLIENT,
            CloseEvent.SHUTDOWN};

    public final String family;
    public final String upstream;
    private final AtomicLongArray byCloser = new AtomicLongArray(CLOSERS.length);
    private final IdleHistogram peerIdle = new IdleHistogram();
    private final AtomicLong minPeerIdleMs = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong failedReuses = new AtomicLong();

    UpstreamStats(String family, String upstream) {
        this.family = family;
        this.upstream = upstream;
    }

    void record(CloseEvent e) {
        for (int i = 0; i < CLOSERS.length; i++) {
            if (CLOSERS[i].equals(e.closer)) {
                byCloser.incrementAndGet(i);
            }
        }
        if (e.failedAfterIdleMs >= 0) {
            failedReuses.incrementAndGet();
        } else if (CloseEvent.PEER.equals(e.closer) && e.requests > 0) {
            // an idle connection the upstream closed: how long it keeps them
            peerIdle.record(e.idleMs);
            minPeerIdleMs.accumulateAndGet(e.idleMs, Math::min);
        }
    }

    public Map<String, Long> closesByCloser() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < CLOSERS.length; i++) {
            m.put(CLOSERS[i], byCloser.get(i));
        }
        return m;
    }

    public long closes() {
        long n = 0;
        for (int i = 0; i < CLOSERS.length; i++) {
            n += byCloser.get(i);
        }
        return n;
    }

    /** Idle connections the upstream closed. */
    public long upstreamCloses() {
        return peerIdle.count();
    }

    public long upstreamCloseMinMs() {
        long v = minPeerIdleMs.get();
        return v == Long.MAX_VALUE ? -1 : v;
    }

    public long upstreamCloseP50Ms() {
        return peerIdle.percentile(0.5);
    }

    public long upstreamCloseMaxMs() {
        return peerIdle.max();
    }

    public long failedReuses() {
        return failedReuses.get();
    }
}
