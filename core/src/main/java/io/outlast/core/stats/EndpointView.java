package io.outlast.core.stats;

import io.outlast.core.settings.Config;
import io.outlast.family.Drain;
import io.outlast.family.EndpointReport;

import java.util.Map;
import java.util.function.Supplier;

/** An endpoint's figures for JMX and {@code status}: its report, its closes, and the settings in force. */
public final class EndpointView implements EndpointMXBean {
    private final EndpointStats stats;
    private final Supplier<Config> config;
    private final Drains drains;

    /** The drain under way for a family's port, or null. */
    public interface Drains {
        Drain of(String family, int port);
    }

    public EndpointView(EndpointStats stats, Supplier<Config> config, Drains drains) {
        this.stats = stats;
        this.config = config;
        this.drains = drains;
    }

    private Drain drain() {
        return drains.of(stats.family, stats.port);
    }

    private EndpointReport report() {
        return stats.report;
    }

    @Override
    public String getServer() {
        return stats.family;
    }

    @Override
    public String getVersion() {
        EndpointReport r = report();
        return r == null ? null : r.version;
    }

    @Override
    public String getAddress() {
        EndpointReport r = report();
        return r == null ? "*:" + stats.port : r.address;
    }

    @Override
    public long getOwnIdleMs() {
        EndpointReport r = report();
        return r == null ? -1 : r.idleBeforeMs;
    }

    @Override
    public long getIdleMs() {
        long agent = config.get().idleMs;
        return agent > 0 ? agent : getOwnIdleMs();
    }

    @Override
    public long getOwnHeaderMs() {
        EndpointReport r = report();
        return r == null ? -1 : r.headerBeforeMs;
    }

    @Override
    public long getHeaderMs() {
        long agent = config.get().headerMs;
        return agent > 0 ? agent : getOwnHeaderMs();
    }

    @Override
    public long getProxyMs() {
        return config.get().proxyMs;
    }

    @Override
    public long getCloses() {
        return stats.closes();
    }

    @Override
    public Map<String, Long> getClosesByCloser() {
        return stats.closesByCloser();
    }

    @Override
    public long getIdleAtCloseP50Ms() {
        return stats.idlePercentile(0.5);
    }

    @Override
    public long getIdleAtCloseP90Ms() {
        return stats.idlePercentile(0.9);
    }

    @Override
    public long getIdleAtCloseP99Ms() {
        return stats.idlePercentile(0.99);
    }

    @Override
    public long getIdleAtCloseMaxMs() {
        return stats.maxIdleMs();
    }

    @Override
    public long getIdleClosesBeforeProxy() {
        return stats.idleClosesBeforeProxy();
    }

    @Override
    public boolean isStopping() {
        return drain() != null;
    }

    @Override
    public int getDrainConnectionsLeft() {
        Drain d = drain();
        return d == null ? 0 : d.left();
    }

    @Override
    public long getDrainTimeLeftMs() {
        Drain d = drain();
        return d == null ? -1 : d.leftMs();
    }

    @Override
    public long getDrainMs() {
        return config.get().drainMs;
    }
}
