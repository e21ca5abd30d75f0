package io.outlast.core.stats;

import io.outlast.core.install.AgentInstaller;
import io.outlast.core.settings.Config;
import io.outlast.core.settings.Durations;

import java.util.List;
import java.util.Map;

/** The text of {@code status}: the settings, then per endpoint its timeouts and what its closes add up to. */
public final class StatusReport {
    private StatusReport() {
    }

    public static String text(Config config, long startedMillis, String tracked, List<EndpointView> endpoints,
                              List<String> ungoverned, List<UpstreamStats> upstreams) {
        StringBuilder b = new StringBuilder();
        b.append("outlast ").append(AgentInstaller.VERSION).append(", up ")
                .append(Durations.format(roundedSeconds(System.currentTimeMillis() - startedMillis)))
                .append("; settings: ").append(config).append('\n');
        b.append("open connections followed: ").append(tracked).append('\n');
        if (endpoints.isEmpty() && ungoverned.isEmpty() && upstreams.isEmpty()) {
            b.append("no server endpoint found yet (a server is met at its start, or as the agent installs)\n");
        }
        for (String server : ungoverned) {
            b.append("found, not governed: ").append(server).append('\n');
        }
        for (EndpointView e : endpoints) {
            b.append(e.getServer()).append(' ').append(e.getVersion() == null ? "" : e.getVersion() + " ")
                    .append(e.getAddress()).append('\n');
            b.append("  idle: own ").append(Durations.format(e.getOwnIdleMs())).append(", in force ")
                    .append(Durations.format(e.getIdleMs())).append("; header: own ")
                    .append(Durations.format(e.getOwnHeaderMs())).append(", in force ")
                    .append(Durations.format(e.getHeaderMs())).append('\n');
            if (e.isStopping()) {
                b.append("  stopping: draining, ").append(e.getDrainConnectionsLeft())
                        .append(" connections left, the rest closed in ")
                        .append(Durations.format(roundedSeconds(e.getDrainTimeLeftMs()))).append(" (drain ")
                        .append(Durations.format(e.getDrainMs())).append(")\n");
            }
            closes(b, e.getCloses(), e.getClosesByCloser());
            if (e.getCloses() > 0) {
                b.append("  idle at close: p50 ").append(ms(e.getIdleAtCloseP50Ms())).append(", p90 ")
                        .append(ms(e.getIdleAtCloseP90Ms())).append(", p99 ").append(ms(e.getIdleAtCloseP99Ms()))
                        .append(", max ").append(ms(e.getIdleAtCloseMaxMs())).append('\n');
            }
            if (e.getProxyMs() > 0) {
                b.append("  server idle closes sooner than the proxy's ").append(Durations.format(e.getProxyMs()))
                        .append(" (possible 502s): ").append(e.getIdleClosesBeforeProxy()).append('\n');
            } else {
                b.append("  server idle closes sooner than the proxy's: unknown, no proxy set (proxy=...)\n");
            }
        }
        clients(b, config, upstreams);
        return b.toString();
    }

    private static void clients(StringBuilder b, Config config, List<UpstreamStats> upstreams) {
        if (upstreams.isEmpty()) {
            return;
        }
        b.append("client pools: retire idle ").append(config.clientIdleMs > 0 ? Durations.format(config.clientIdleMs)
                : "the pool's own").append(config.upstreamMs > 0 ? " (upstream " + Durations.format(config.upstreamMs)
                + ")" : " (no upstream=)").append(", never past an upstream's Keep-Alive: timeout\n");
        for (UpstreamStats u : upstreams) {
            b.append("client ").append(u.family).append(" upstream ").append(u.upstream).append('\n');
            closes(b, u.closes(), u.closesByCloser());
            if (u.upstreamCloses() > 0) {
                b.append("  upstream closed idle connections at: min ").append(ms(u.upstreamCloseMinMs()))
                        .append(", p50 ").append(ms(u.upstreamCloseP50Ms())).append(", max ")
                        .append(ms(u.upstreamCloseMaxMs())).append('\n');
            }
            b.append("  requests failed on a connection reused after an idle gap: ").append(u.failedReuses())
                    .append('\n');
        }
    }

    private static void closes(StringBuilder b, long closes, Map<String, Long> byCloser) {
        b.append("  closes: ").append(closes).append(" (");
        boolean first = true;
        for (Map.Entry<String, Long> c : byCloser.entrySet()) {
            b.append(first ? "" : ", ").append(c.getKey()).append(' ').append(c.getValue());
            first = false;
        }
        b.append(")\n");
    }

    private static long roundedSeconds(long ms) {
        return ms / 1000 * 1000;
    }

    private static String ms(long v) {
        return v < 0 ? "-" : v + "ms";
    }
}
