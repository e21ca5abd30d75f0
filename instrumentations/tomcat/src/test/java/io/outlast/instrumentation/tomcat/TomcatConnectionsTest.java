package io.outlast.instrumentation.tomcat;

import io.outlast.family.EndpointReport;
import io.outlast.family.TestFamilyContext;
import org.apache.tomcat.util.net.NioEndpoint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tomcat's rules on a real (unstarted) endpoint: what is set, what is kept, what is put back. */
class TomcatConnectionsTest {
    private final TestFamilyContext context = new TestFamilyContext(2000, 3000);
    private final TomcatConnections connections = new TomcatConnections(context.tracker("tomcat", "9.0."));

    private static NioEndpoint endpoint(String name, int keepAliveMs) {
        NioEndpoint endpoint = new NioEndpoint();
        endpoint.setName(name);
        endpoint.setKeepAliveTimeout(keepAliveMs);
        return endpoint;
    }

    @Test
    void anEndpointTakesTheAgentsIdleAndGetsItsOwnBackWhenIdleIsUnset() {
        NioEndpoint endpoint = endpoint("http-nio-8080", 60_000);
        connections.endpointStarted(endpoint);
        assertEquals(2000, endpoint.getKeepAliveTimeout());
        EndpointReport report = context.reports.get(0);
        assertEquals(60_000, report.idleBeforeMs);
        assertEquals(2000, report.idleAfterMs);
        assertEquals(3000, report.headerAfterMs);

        context.timeouts(5000, 6000);
        connections.reconfigured();
        assertEquals(5000, endpoint.getKeepAliveTimeout());
        context.timeouts(-1, -1);
        connections.reconfigured();
        assertEquals(60_000, endpoint.getKeepAliveTimeout());
    }

    @Test
    void anEndpointIsMetOnce() {
        NioEndpoint endpoint = endpoint("http-nio-8080", 60_000);
        connections.endpointStarted(endpoint);
        connections.endpointStarted(endpoint);
        assertEquals(1, context.reports.size());
    }

    @Test
    void anAjpEndpointIsLeftUntouched() {
        NioEndpoint endpoint = endpoint("ajp-nio-8009", 60_000);
        connections.endpointStarted(endpoint);
        connections.reconfigured();
        assertEquals(60_000, endpoint.getKeepAliveTimeout());
        assertTrue(context.reports.isEmpty());
    }

    @Test
    void requestsAreTomcatsCountWhereItCountsThemElseTheAgents() {
        TomcatConnection s = new TomcatConnection(null, 100, "tomcat", 0);
        s.requests = 7;
        assertEquals(3, TomcatConnections.requests(s, 1234, 97), "NIO, counted down from 100");
        assertEquals(7, TomcatConnections.requests(s, -1, 97), "NIO2 keeps no last write: the agent's count");
        TomcatConnection unlimited = new TomcatConnection(null, -1, "tomcat", 0);
        unlimited.requests = 7;
        assertEquals(7, TomcatConnections.requests(unlimited, 1234, -1), "unlimited: Tomcat does not count");
    }
}
