package io.outlast.instrumentation.jetty;

import io.outlast.bootstrap.ConnectionState;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.Drain;
import io.outlast.family.Reflection;
import io.outlast.family.Servers;

import java.util.ArrayList;
import java.util.List;

/**
 * A Jetty server stopping with a drain set ({@code drain=}). Jetty's own graceful shutdown of a connector (9.4-12.1)
 * is most of a drain: it closes the server socket and answers every request with {@code Connection: close}. The agent
 * begins it for every connector of the server, keeps the connections' idle timeout what it was (10-12 would cut it
 * to the connector's shutdown idle timeout, 1 s: the race again), and holds the stop until the proxy has let every
 * connection go, or the drain's end closes the rest. Jetty's own stop then goes on as it would.
 */
final class JettyDrain {
    private final ConnectionTracker tracker;
    private final Servers<JettyConnections.Connector> connectors;

    JettyDrain(ConnectionTracker tracker, Servers<JettyConnections.Connector> connectors) {
        this.tracker = tracker;
        this.connectors = connectors;
    }

    /** Entry of {@code Server.doStop()}, on the stopping thread: returns when drained. */
    void serverStopping(Object server) throws Exception {
        long drainMs = tracker.timeouts().drainMs;
        if (drainMs <= 0) {
            return;
        }
        JettyApi api = JettyApi.of(server.getClass());
        if (api == null) {
            return;
        }
        List<Integer> ports = new ArrayList<>();
        for (Object connector : api.connectors(server)) {
            JettyConnections.Connector c = connectors.adopt(connector);
            if (c != null) {
                // Spring Boot's graceful shutdown may have shut the connector down already: once more does nothing
                ports.add(c.port);
                c.api.shutdown(connector);
            }
        }
        if (!ports.isEmpty()) {
            tracker.beginDrain(ports.stream().mapToInt(Integer::intValue).toArray(), drainMs).await(JettyDrain::closeLeft);
        }
    }

    /**
     * Entry of {@code AbstractConnector.doStop()}: a connector stopped on its own (Spring Boot stops the connectors, the
     * server only later) drains first. Within a server's stop, drained already: nothing is left.
     */
    void connectorStopping(Object connector) throws Exception {
        long drainMs = tracker.timeouts().drainMs;
        JettyConnections.Connector c = drainMs > 0 ? connectors.adopt(connector) : null;
        if (c != null) {
            c.api.shutdown(connector);
            tracker.beginDrain(new int[] {c.port}, drainMs).await(JettyDrain::closeLeft);
        }
    }

    /** The JVM exiting: every connector met drains, whether or not the application stops its server. */
    void drainAtExit() throws Exception {
        long drainMs = tracker.timeouts().drainMs;
        if (drainMs <= 0) {
            return;
        }
        List<Boolean> any = new ArrayList<>();
        connectors.forEach((connector, c) -> {
            if (c.api.isRunning(connector)) {
                c.api.shutdown(connector);
                any.add(true);
            }
        });
        if (!any.isEmpty()) {
            tracker.beginDrain(null, drainMs).await(JettyDrain::closeLeft);
        }
    }

    /**
     * Exit of {@code AbstractConnector.getShutdownIdleTimeout()} (10-12), which a connector's shutdown sets on each of
     * its connections: while a drain is set, their idle timeout in force instead.
     */
    long shutdownIdleTimeout(Object connector, long ms) throws ReflectiveOperationException {
        if (tracker.timeouts().drainMs <= 0) {
            return ms;
        }
        JettyApi api = JettyApi.of(connector.getClass());
        return api == null ? ms : Math.max(ms, api.connectorIdle(connector));
    }

    /**
     * A kept-alive response ended on a connector shut down after it was committed: Jetty would close the connection
     * without saying so. While a drain holds the connection it stays open (its next response says Connection: close);
     * a response that said it closes (not persistent) is left to close. One volatile read when no drain is under way.
     */
    boolean keepOpenAfterResponse(Object sendCallback) throws ReflectiveOperationException {
        if (!tracker.draining()) {
            return false;
        }
        Object http = Reflection.outer(sendCallback);
        JettyApi api = http == null ? null : JettyApi.of(http.getClass());
        if (api == null) {
            return false;
        }
        Object generator = http.getClass().getMethod("getGenerator").invoke(http);
        if (!(Boolean) generator.getClass().getMethod("isPersistent").invoke(generator)) {
            return false;
        }
        Object endPoint = api.endPointOf(http);
        Object network = api.networkUnder(endPoint);
        return tracker.holds(network == null ? endPoint : network);
    }

    private static void closeLeft(Object endPoint, ConnectionState s) throws ReflectiveOperationException {
        JettyApi api = (JettyApi) s.support;
        Drain.markLeft(s, JettyConnections.waitingIdle(api, endPoint));
        api.close(endPoint);
    }
}
