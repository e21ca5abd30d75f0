package io.outlast.core.stats;

import java.util.Map;

/**
 * One server endpoint, as JMX consoles and exporters see it ({@code io.outlast:type=Endpoint,server=..,port=..}).
 * Times in ms; -1 for none.
 */
public interface EndpointMXBean {
    String getServer();

    String getVersion();

    String getAddress();

    long getOwnIdleMs();

    long getIdleMs();

    long getOwnHeaderMs();

    long getHeaderMs();

    long getProxyMs();

    long getCloses();

    Map<String, Long> getClosesByCloser();

    long getIdleAtCloseP50Ms();

    long getIdleAtCloseP90Ms();

    long getIdleAtCloseP99Ms();

    long getIdleAtCloseMaxMs();

    /** Server-side idle closes sooner than the proxy's idle timeout: each a possible 502. */
    long getIdleClosesBeforeProxy();

    /** The server is stopping and draining its kept-alive connections ({@code drain=}). */
    boolean isStopping();

    /** While it drains: its connections still open; else 0. */
    int getDrainConnectionsLeft();

    /** While it drains: how long until what is left is closed; else -1. */
    long getDrainTimeLeftMs();

    /** The drain set ({@code drain=}), or -1: a stop closes as the server's own does. */
    long getDrainMs();
}
