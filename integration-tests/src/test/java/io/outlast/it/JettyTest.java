package io.outlast.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every maintained Jetty line, with the agent at start and attached live, on JDK 17 and 25. */
class JettyTest {
    static final List<String> APPS = List.of("jetty-9.4", "jetty-10.0", "jetty-11.0", "jetty-12.0", "jetty-12.1");

    static Stream<Arguments> appsOnJdks() {
        return APPS.stream().flatMap(app -> Jdk.all().stream().map(jdk -> Arguments.of(app, jdk)));
    }

    /** Jetty's default idle is 30 s; the agent makes it 2 s, with a 3 s header deadline (longer than idle). */
    @ParameterizedTest(name = "{0} on {1}, -javaagent")
    @MethodSource("appsOnJdks")
    void premain(String app, Jdk jdk) throws Exception {
        try (ServerProcess server = ServerProcess.start(jdk, app, "idle=2s,header=3s")) {
            String version = app.substring("jetty-".length());
            server.await(Pattern.compile("outlast: jetty " + Pattern.quote(version) + "\\.\\S* connector 127\\.0\\.0\\.1:"
                    + server.port + " idle 30000ms -> 2000ms, header none -> 3000ms").asPredicate(), Duration.ofSeconds(10));
            Measurements.run(server, 2000, 3000);
            assertShutdownEvent(server);
        }
    }

    /**
     * The app sets Jetty's idle to 1 s; attached, the agent makes it 3 s, with a 2 s header deadline (shorter
     * than idle). A connection opened and kept busy before the attach must then wait 3 s, not 1 s.
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

            Measurements.run(server, 3000, 2000);
            Measurements.assertTiming("connection open before the attach", existing.closedAfter(lastResponse, 8000),
                    3000, server);
            Map<String, String> event = server.closeEvent(existing.localPort(), 0);
            assertEquals("server-idle", event.get("closer"), event.toString());
            // Jetty counts the connection's requests itself, those before the attach included
            assertTrue(Long.parseLong(event.get("requests")) >= 2, event.toString());
            Measurements.assertIdleMs(event, 3000);
            assertTrue(server.has(l -> l.matches("outlast: jetty \\S+ connector 127\\.0\\.0\\.1:" + server.port
                    + " idle 1000ms -> 3000ms, header none -> 2000ms")), server.output());
            assertShutdownEvent(server);
        }
    }

    /** Without the agent the same app keeps Jetty's behaviour: the agent is what changed it. */
    @ParameterizedTest(name = "{0} on JDK 17, no agent")
    @ValueSource(strings = {"jetty-9.4", "jetty-10.0", "jetty-11.0", "jetty-12.0", "jetty-12.1"})
    void withoutAgent(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, null, "-Dapp.idle=1000")) {
            try (Probe idle = new Probe(server.port)) {
                idle.request(false);
                Measurements.assertTiming("Jetty's own idle", idle.closedAfter(System.nanoTime(), 5000), 1000, server);
            }
            try (Probe slow = new Probe(server.port)) {
                // every byte resets Jetty's idle timer and there is no header deadline: never cut
                assertEquals(Probe.NEVER, slow.slowHeaderClosedAfter(250, 3000), "a slow header was cut without the agent");
            }
            assertFalse(server.has(l -> l.startsWith("outlast")), server.output());
        }
    }

    /** Connections open when the server stops, waiting or in the middle of a header, close as "shutdown". */
    private static void assertShutdownEvent(ServerProcess server) throws Exception {
        int mark = server.mark();
        try (Probe waiting = new Probe(server.port); Probe midHeader = new Probe(server.port)) {
            waiting.request(false);
            midHeader.send("GET / HTTP/1.1\r\nHo");
            Thread.sleep(100);
            server.stop();
            Measurements.assertEvent(server, mark, waiting.localPort(), "shutdown", 1);
            Measurements.assertEvent(server, mark, midHeader.localPort(), "shutdown", 0);
        }
    }
}
