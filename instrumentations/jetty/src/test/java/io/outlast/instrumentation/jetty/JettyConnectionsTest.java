package io.outlast.instrumentation.jetty;

import io.outlast.family.EndpointReport;
import io.outlast.family.TestFamilyContext;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jetty's rules on real (unstarted) connectors: what is set, what is kept, what is put back. */
class JettyConnectionsTest {
    private final TestFamilyContext context = new TestFamilyContext(2000, 3000);
    private final JettyConnections connections = new JettyConnections(context.tracker("jetty", "9.4."));
    private final Server server = new Server();

    @Test
    void aConnectorTakesTheAgentsIdleAndGetsItsOwnBackWhenIdleIsUnset() {
        ServerConnector connector = new ServerConnector(server);
        connector.setIdleTimeout(30_000);
        connections.connectorStarted(connector);
        assertEquals(2000, connector.getIdleTimeout());
        EndpointReport report = context.reports.get(0);
        assertEquals(30_000, report.idleBeforeMs);
        assertEquals(2000, report.idleAfterMs);
        assertEquals(3000, report.headerAfterMs);

        context.timeouts(5000, 6000);
        connections.reconfigured();
        assertEquals(5000, connector.getIdleTimeout());
        context.timeouts(-1, 3000);
        connections.reconfigured();
        assertEquals(30_000, connector.getIdleTimeout());
    }

    @Test
    void aConnectorIsMetOnce() {
        ServerConnector connector = new ServerConnector(server);
        connections.connectorStarted(connector);
        connections.connectorStarted(connector);
        assertEquals(1, context.reports.size());
    }

    @Test
    void aConnectorWithoutANetworkIsLeftUntouched() {
        LocalConnector local = new LocalConnector(server);
        local.setIdleTimeout(30_000);
        connections.connectorStarted(local);
        connections.reconfigured();
        assertEquals(30_000, local.getIdleTimeout());
        assertTrue(context.reports.isEmpty());
    }

    @Test
    void aVersionOutlastDoesNotKnowIsLeftUntouchedWithOneWarning() {
        JettyConnections strict = new JettyConnections(context.tracker("jetty", "12.1."));
        ServerConnector connector = new ServerConnector(server);
        connector.setIdleTimeout(30_000);
        strict.connectorStarted(connector);
        strict.connectorStarted(new ServerConnector(server));
        assertEquals(30_000, connector.getIdleTimeout());
        assertEquals(1, context.warnings.size(), context.warnings.toString());
        assertTrue(context.warnings.get(0).contains("not a version outlast knows"), context.warnings.toString());
    }
}
