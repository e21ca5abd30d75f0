package io.outlast.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every maintained Jetty line. */
class JettyTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("jetty-9.4", "jetty-10.0", "jetty-11.0", "jetty-12.0", "jetty-12.1");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
    }

    /**
     * An upgraded connection keeps the idle timeout its application gave it (5 s here) through an attach
     * that sets idle=2s, a second attach, and a reset; the connector's HTTP connections take the agent's.
     */
    @ParameterizedTest(name = "{0}: a WebSocket keeps the application's idle through attach, re-attach, reset")
    @ValueSource(strings = {"jetty-12.0", "jetty-12.1"})
    void aWebSocketKeepsItsOwnIdle(String app) throws Exception {
        long wsIdleMs = 5000;
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, null, "-Dapp.ws.idle=" + wsIdleMs)) {
            String pid = Long.toString(server.process.pid());
            try (Probe ws = new Probe(server.port)) {
                ws.webSocket("/ws");
                long upgraded = System.nanoTime();
                attachOrReset(pid, "attach", "idle=2s");
                // a new connection after the attach meets the connector, and with it every open endpoint
                CompletableFuture<Long> wsClosed = closedAfter(ws, upgraded, 9000);
                try (Probe http = new Probe(server.port)) {
                    http.request(false);
                    Measurements.assertTiming("HTTP after the attach", http.closedAfter(System.nanoTime(), 5000),
                            2000, 1000, server);
                }
                Measurements.assertTiming("WebSocket open before the attach", wsClosed.get(), wsIdleMs, 1500, server);
            }
            try (Probe ws = new Probe(server.port)) {
                ws.webSocket("/ws");
                long upgraded = System.nanoTime();
                attachOrReset(pid, "attach", "idle=3s");
                Measurements.assertTiming("WebSocket through a second attach", ws.closedAfter(upgraded, 9000),
                        wsIdleMs, 1500, server);
            }
            try (Probe ws = new Probe(server.port)) {
                ws.webSocket("/ws");
                long upgraded = System.nanoTime();
                attachOrReset(pid, "reset", null);
                Measurements.assertTiming("WebSocket through a reset", ws.closedAfter(upgraded, 9000),
                        wsIdleMs, 1500, server);
            }
        }
    }

    private static CompletableFuture<Long> closedAfter(Probe probe, long startNanos, long maxMs) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return probe.closedAfter(startNanos, maxMs);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static void attachOrReset(String pid, String command, String setting) throws Exception {
        ServerProcess.CliResult r = setting == null ? ServerProcess.cli(Jdk.JDK17, command, pid)
                : ServerProcess.cli(Jdk.JDK17, command, pid, setting);
        assertEquals(0, r.exit(), r.output());
    }

    @Override
    Family family() {
        return Family.JETTY;
    }
}
