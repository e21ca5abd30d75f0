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
}
