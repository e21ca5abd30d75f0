package io.outlast.core.stats;

import io.outlast.family.EndpointReport;

import io.outlast.bootstrap.CloseEvent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** What one endpoint's closes add up to since the agent came: by closer, idle times, possible 502s. */
public final class EndpointStats {
    static final String[] CLOSERS = {CloseEvent.SERVER_IDLE, CloseEvent.SERVER_HEADER, CloseEvent.PEER,
            CloseEvent.ERROR, CloseEvent.SHUTDOWN, CloseEvent.SERVER, CloseEvent.DRAIN};

    public final String family;
    public final int port;
    private final AtomicLongArray byCloser = new AtomicLongArray(CLOSERS.length);
    private final IdleHistogram idle = new IdleHistogram();
    private final AtomicLong idleClosesBeforeProxy = new AtomicLong();
    /** The endpoint's line (its own timeouts and the ones in force), once found. */
    public volatile EndpointReport report;

    EndpointStats(String family, int port) {
        this.family = family;
        this.port = port;
    }

    void record(CloseEvent e, long proxyMs) {
        for (int i = 0; i < CLOSERS.length; i++) {
            if (CLOSERS[i].equals(e.closer)) {
                byCloser.incrementAndGet(i);
            }
        }
        idle.record(e.idleMs);
        if (proxyMs > 0 && CloseEvent.SERVER_IDLE.equals(e.closer) && e.idleMs < proxyMs) {
            idleClosesBeforeProxy.incrementAndGet();
        }
    }

    Map<String, Long> closesByCloser() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < CLOSERS.length; i++) {
            m.put(CLOSERS[i], byCloser.get(i));
        }
        return m;
    }

    long closes() {
        return idle.count();
    }

    long idlePercentile(double fraction) {
        return idle.percentile(fraction);
    }

    long maxIdleMs() {
        return idle.max();
    }

    /** Server-side idle closes that came before the proxy's own idle timeout: each a possible 502. */
    long idleClosesBeforeProxy() {
        return idleClosesBeforeProxy.get();
    }
}
