package io.outlast.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same outside-in tests for every server family, on every test-app of the family: with the agent at
 * start and attached live, on JDK 17 and 25, and without the agent. A subclass names the family and has
 * the static sources {@code apps()} and {@code appsOnJdks()}.
 */
abstract class ServerFamilyTest {
    private static final Pattern VERSIONED_APP = Pattern.compile("[a-z]+-(\\d+\\.\\d+)");

    abstract Family family();

    static Stream<Arguments> onJdks(List<String> apps) {
        return apps.stream().flatMap(app -> Jdk.all().stream().map(jdk -> Arguments.of(app, jdk)));
    }

    /** The server's own idle is its default; the agent makes it 2 s, with a 3 s header deadline (longer than idle). */
    @ParameterizedTest(name = "{0} on {1}, -javaagent")
    @MethodSource("appsOnJdks")
    void premain(String app, Jdk jdk) throws Exception {
        try (ServerProcess server = ServerProcess.start(jdk, app, "idle=2s,header=3s")) {
            Measurements.run(server, family(), 2000, 3000);
            // after the connections: a family may meet its endpoints at their first
            assertReport(server, app, ownIdle() + " -> 2000ms, header none -> 3000ms");
            assertShutdownEvents(server);
        }
    }

    /**
     * The app sets its server's idle to 1 s; attached, the agent makes it 3 s, with a 2 s header deadline
     * (shorter than idle). A connection opened and kept busy before the attach must then wait 3 s, not 1 s.
     */
    @ParameterizedTest(name = "{0} on {1}, attached")
    @MethodSource("appsOnJdks")
    void attach(String app, Jdk jdk) throws Exception {
        try (ServerProcess server = ServerProcess.start(jdk, app, null, "-Dapp.idle=1000");
             Probe existing = new Probe(server.port)) {
            existing.request(false);
            AtomicBoolean attached = new AtomicBoolean();
            Thread keeper = new Thread(() -> {
                try {
                    while (!attached.get()) {
                        Thread.sleep(200);
                        existing.request(false);
                    }
                } catch (Exception e) {
                    // the final request below reports it
                }
            });
            keeper.start();
            try {
                server.attach("idle=3s", "header=2s");
            } finally {
                attached.set(true);
                keeper.join();
            }
            existing.request(false);
            long lastResponse = System.nanoTime();

            Measurements.run(server, family(), 3000, 2000);
            Measurements.assertTiming("connection open before the attach", existing.closedAfter(lastResponse, 8000),
                    3000, family().lateMs(), server);
            Map<String, String> event = server.closeEvent(existing.localPort(), 0);
            assertEquals("server-idle", event.get("closer"), event.toString());
            // at least the request after the attach (Tomcat does not count them: the agent does, once it is there)
            assertTrue(Long.parseLong(event.get("requests")) >= 1, event.toString());
            Measurements.assertIdleMs(event, 3000, family().lateMs());
            assertReport(server, app, "idle 1000ms -> 3000ms, header none -> 2000ms");
            assertShutdownEvents(server);
        }
    }

    /**
     * A connection already waiting for a request when the agent is attached must not run out the old
     * timeout: the app sets 4 s, the attach 6 s, and the connection, idle since before the attach, waits 6 s.
     */
    @ParameterizedTest(name = "{0} on JDK 17, waiting through the attach")
    @MethodSource("apps")
    void attachExtendsAWaitingConnection(String app) throws Exception {
        // NIO2 arms a read's timeout when the read is issued: one already pending keeps it (docs/tomcat.md)
        Assumptions.assumeFalse(app.endsWith("@nio2"), "a pending NIO2 read keeps the timeout it was issued with");
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, null, "-Dapp.idle=4000");
             Probe waiting = new Probe(server.port)) {
            waiting.request(false);
            long lastResponse = System.nanoTime();
            server.attach("idle=6s");
            Measurements.assertTiming("connection waiting through the attach", waiting.closedAfter(lastResponse, 10_000),
                    6000, family().lateMs(), server);
            Map<String, String> event = server.closeEvent(waiting.localPort(), 0);
            assertEquals("server-idle", event.get("closer"), event.toString());
        }
    }

    /** Without the agent the same app keeps its server's behaviour: the agent is what changed it. */
    @ParameterizedTest(name = "{0} on JDK 17, no agent")
    @MethodSource("apps")
    void withoutAgent(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, null, "-Dapp.idle=1000")) {
            try (Probe idle = new Probe(server.port)) {
                idle.request(false);
                Measurements.assertTiming("the server's own idle", idle.closedAfter(System.nanoTime(), 5000), 1000,
                        family().lateMs(), server);
            }
            try (Probe slow = new Probe(server.port)) {
                if (ownIdleEndsSlowHeaders(app)) {
                    Measurements.assertTiming("a slow header, by the server's own idle", slow.slowHeaderClosedAfter(250, 3500),
                            1000, family().lateMs(), server);
                } else {
                    // each byte restarts the server's own read timer, and there is no header deadline: never cut
                    assertEquals(Probe.NEVER, slow.slowHeaderClosedAfter(250, 3500), "a slow header was cut without the agent");
                }
            }
            assertFalse(server.has(l -> l.startsWith("outlast")), server.output());
        }
    }

    private String ownIdle() {
        return family().defaultIdleMs() < 0 ? "idle none" : "idle " + family().defaultIdleMs() + "ms";
    }

    /** Whether the app's own idle timer counts only whole messages, so that it ends a slow header too. */
    boolean ownIdleEndsSlowHeaders(String app) {
        return false;
    }

    /** The version line of the family's server that the app runs, where its name says it ("jetty-12.0": 12.0). */
    String serverLine(String app) {
        Matcher m = VERSIONED_APP.matcher(app);
        return m.matches() ? m.group(1) : null;
    }

    /** The endpoint line, with the version of the app's server line where the app names one. */
    private void assertReport(ServerProcess server, String app, String timeouts) {
        String line = server.await(l -> l.startsWith("outlast: " + family().name() + " ")
                && l.contains(" " + family().kind() + " 127.0.0.1:" + server.port + " ") && l.endsWith(timeouts),
                Duration.ofSeconds(10));
        String serverLine = serverLine(app);
        if (serverLine != null) {
            assertTrue(line.startsWith("outlast: " + family().name() + " " + serverLine + "."), line);
        }
    }

    /** Connections open when the server stops, waiting or in the middle of a header, close as "shutdown". */
    private void assertShutdownEvents(ServerProcess server) throws Exception {
        int mark = server.mark();
        try (Probe waiting = new Probe(server.port); Probe midHeader = new Probe(server.port)) {
            waiting.request(false);
            midHeader.send("GET / HTTP/1.1\r\nHo");
            Thread.sleep(100);
            server.stop();
            Measurements.assertEvent(server, family(), mark, waiting.localPort(), "shutdown", 1);
            Measurements.assertEvent(server, family(), mark, midHeader.localPort(), "shutdown", 0);
        }
    }
}
