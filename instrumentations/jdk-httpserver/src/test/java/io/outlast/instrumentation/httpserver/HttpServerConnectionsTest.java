package io.outlast.instrumentation.httpserver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JDK server's idle check, run by the agent as often as the idle it sets needs. */
class HttpServerConnectionsTest {
    @Test
    void theIdleCheckRunsATwentiethOfIdleApartWithin50To500Ms() {
        assertEquals(50, HttpServerConnections.sweepPeriodMs(500));
        assertEquals(100, HttpServerConnections.sweepPeriodMs(2000));
        assertEquals(500, HttpServerConnections.sweepPeriodMs(65_000));
        assertEquals(500, HttpServerConnections.sweepPeriodMs(600_000));
    }
}
