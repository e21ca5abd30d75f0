package io.outlast.core.stats;

import io.outlast.family.Addresses;
import io.outlast.family.EndpointReport;

import io.outlast.bootstrap.CloseEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The endpoints found and their closes, for {@code status} and the MBeans. Keyed by family and port: a
 * connection's local address is the interface it came in on, the endpoint's may be the wildcard.
 */
public final class Stats {
    private final ConcurrentHashMap<Long, EndpointStats> endpoints = new ConcurrentHashMap<>();
    /** A gateway may call thousands of hosts: beyond this many, the rest add up as one. */
    static final int MAX_UPSTREAMS = 1000;
    /** A client family's upstreams, by family and upstream address. */
    private final ConcurrentHashMap<String, UpstreamStats> upstreams = new ConcurrentHashMap<>();
    private final LongSupplier proxyMs;
    /** The endpoint last recorded: a server usually has one, so a close finds it without the map. */
    private volatile EndpointStats last;
    public final long startedMillis = System.currentTimeMillis();

    public Stats(LongSupplier proxyMs) {
        this.proxyMs = proxyMs;
    }

    /** On the closing server thread: a map lookup and a few atomic increments. */
    public void record(CloseEvent e) {
        if (e.client) {
            String address = Addresses.format(e.remotePacked, e.remote);
            String key = e.server + ' ' + address;
            UpstreamStats u = upstreams.get(key);
            if (u == null && upstreams.size() >= MAX_UPSTREAMS) {
                key = e.server + " (others)";
                u = upstreams.get(key);
            }
            String upstream = key.substring(e.server.length() + 1);
            if (u == null) {
                u = upstreams.computeIfAbsent(key, k -> new UpstreamStats(e.server, upstream));
            }
            u.record(e);
            return;
        }
        int port = Addresses.port(e.localPacked, e.local);
        if (port < 0) {
            return;
        }
        EndpointStats s = last;
        if (s == null || s.port != port || !s.family.equals(e.server)) {
            last = s = endpoint(e.server, port);
        }
        s.record(e, proxyMs.getAsLong());
    }

    /** Records the endpoint's line; its stats are made on the first sight of it. */
    public EndpointStats report(EndpointReport r) {
        EndpointStats s = endpoint(r.family, Addresses.port(r.address));
        s.report = r;
        return s;
    }

    private EndpointStats endpoint(String family, int port) {
        // a family's name is one of a few constants: its hash and the port make the key, no string is built
        long key = ((long) family.hashCode() << 32) | (port & 0xffffffffL);
        EndpointStats s = endpoints.get(key);
        return s != null ? s : endpoints.computeIfAbsent(key, k -> new EndpointStats(family, port));
    }

    public List<UpstreamStats> upstreams() {
        List<UpstreamStats> out = new ArrayList<>(upstreams.values());
        out.sort((a, b) -> (a.family + ' ' + a.upstream).compareTo(b.family + ' ' + b.upstream));
        return out;
    }

    public List<EndpointStats> endpoints() {
        List<EndpointStats> out = new ArrayList<>(endpoints.values());
        out.sort((a, b) -> a.family.equals(b.family) ? Integer.compare(a.port, b.port) : a.family.compareTo(b.family));
        return out;
    }
}
