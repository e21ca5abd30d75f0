package io.outlast.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/1.1's edges in each family, with {@code idle=2s,header=2s}: pipelined requests, a request that waits for
 * {@code 100 Continue}, and a header over the server's own limit. What the header deadline and the close event do
 * there is in docs/operators.md.
 */
class EdgesTest {
    private static final String AGENT = "idle=2s,header=2s";

    /**
     * Three requests in one write are three requests: each answered, counted, and the idle counted from the last
     * response.
     */
    @ParameterizedTest(name = "{0}: pipelined requests")
    @ValueSource(strings = {"jetty-12.0", "tomcat-10.1", "undertow-2.3", "jdk-httpserver", "netty-4.1", "helidon-4",
            "pekko-http-1.x"})
    void pipelined(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.forApp(app), app, AGENT); Probe probe = Probe.to(server)) {
            int mark = server.mark();
            String get = "GET / HTTP/1.1\r\nHost: probe\r\n\r\n";
            probe.send(get + get + get);
            for (int i = 0; i < 3; i++) {
                probe.response();
            }
            long start = System.nanoTime();
            Measurements.assertTiming("idle after pipelined requests", probe.closedAfter(start, 6000), 2000,
                    Family.of(app).lateMs(), server);
            Map<String, String> event = server.closeEvent(probe.localPort(), mark);
            assertEquals("server-idle", event.get("closer"), event + "\n" + server.output());
            assertEquals("3", event.get("requests"), event.toString());
        }
    }

    /**
     * A request pipelined behind another whose header stops arriving: the second's header is timed from its first
     * byte (which came with the first request) and closed at the deadline. (Undertow holds the first response until
     * the pipelined request is complete: the deadline's close discards it, as Undertow's own timeout would.) The
     * server has answered a request first: Undertow times the pipelined header from when it gets to it, after the
     * first response, which a server's first request delays by its class loading (0.5 s measured, 1.1 s on a loaded
     * machine; a warm server answers in a millisecond).
     */
    @ParameterizedTest(name = "{0}: a pipelined header that stops arriving")
    @ValueSource(strings = {"jetty-12.0", "tomcat-10.1", "undertow-2.3", "jdk-httpserver", "netty-4.1", "helidon-4",
            "pekko-http-1.x"})
    void pipelinedHeaderStops(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.forApp(app), app, "idle=6s,header=2s"); Probe probe = Probe.to(server)) {
            try (Probe first = Probe.to(server)) {
                first.request(true);
            }
            int mark = server.mark();
            long start = System.nanoTime();
            probe.send("GET / HTTP/1.1\r\nHost: probe\r\n\r\nGET / HTTP/1.1\r\nHo");
            Measurements.assertTiming("pipelined header that stops arriving", probe.closedAfter(start, 6000), 2000,
                    Measurements.HEADER_LATE_MS, server);
            Map<String, String> event = server.closeEvent(probe.localPort(), mark);
            assertEquals("server-header", event.get("closer"), event + "\n" + server.output());
        }
    }

    /**
     * {@code Expect: 100-continue}: the headers are complete, and the wait for the body (the client's, for the
     * server's {@code 100}) is not a header: the deadline does not cut it. (Jetty answers without the body and ends
     * its output at once, as it cannot know whether the client will send it; the socket is closed at idle.)
     */
    @ParameterizedTest(name = "{0}: Expect: 100-continue")
    @ValueSource(strings = {"jetty-12.0", "tomcat-10.1", "undertow-2.3", "jdk-httpserver", "netty-4.1", "helidon-4",
            "pekko-http-1.x"})
    void expectContinue(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.forApp(app), app, "idle=6s,header=2s"); Probe probe = Probe.to(server)) {
            int mark = server.mark();
            long start = System.nanoTime();
            probe.send("POST / HTTP/1.1\r\nHost: probe\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            long closed = probe.closedAfter(start, 3500);
            if (closed != Probe.NEVER) {
                Map<String, String> event = server.closeEvent(probe.localPort(), mark);
                assertTrue(closed < 1500 && !event.get("closer").equals("server-header"),
                        "closed while its body was awaited, after " + closed + " ms: " + event + "\n" + server.output());
            }
        }
    }

    /**
     * A header over the server's own limit is the server's to refuse (431 or 400, or a reset from the JDK's), and its
     * close is the server's ({@code server}, or {@code error} where it closes on the failed read). Raw Netty hands the
     * refused request to the application (here answered) and discards what follows: the rest of the header is a
     * header arriving, closed at the deadline.
     */
    @ParameterizedTest(name = "{0}: a header over the server's limit")
    @ValueSource(strings = {"jetty-12.0", "tomcat-10.1", "undertow-2.3", "jdk-httpserver", "netty-4.1", "helidon-4",
            "pekko-http-1.x"})
    void headerOverLimit(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.forApp(app), app, AGENT); Probe probe = Probe.to(server)) {
            int mark = server.mark();
            long start = System.nanoTime();
            String head;
            try {
                probe.send("GET / HTTP/1.1\r\nHost: probe\r\nX-Big: " + "a".repeat(1_500_000) + "\r\n\r\n");
                head = probe.head();
            } catch (IOException e) {
                head = e.toString();
            }
            long closed = probe.closedAfter(start, 6000);
            Map<String, String> event = server.closeEvent(probe.localPort(), mark);
            System.out.println("over limit " + app + ": " + head.lines().findFirst().orElse("") + ", closed after " + closed
                    + " ms " + event);
            if (app.startsWith("netty")) {
                Measurements.assertTiming("the rest of a refused header", closed, 2000, Measurements.HEADER_LATE_MS, server);
                assertEquals("server-header", event.get("closer"), event.toString());
            } else {
                assertTrue(closed != Probe.NEVER && closed < 1500, "closed at once: " + closed + "\n" + server.output());
                assertTrue(event.get("closer").equals("server") || event.get("closer").equals("error"), event.toString());
            }
        }
    }
}
