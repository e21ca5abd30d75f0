package io.outlast.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What every family owes an upgraded connection: the timeouts its application gave it stay its own. */
final class UpgradedConnections {
    private UpgradedConnections() {
    }

    /**
     * An upgraded connection keeps the idle timeout its application gave it (5 s here) through an attach
     * that sets a longer idle (8 s) while it waits, a second attach that sets a shorter one (2 s), and a reset;
     * the connector's HTTP connections take the agent's. The WebSocket's close is the server's close frame, or
     * its end of the stream if that comes first.
     */
    static void assertKeepTheirOwnIdle(String app) throws Exception {
        long wsIdleMs = 5000;
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, null, "-Dapp.ws.idle=" + wsIdleMs)) {
            assertKeepsItsOwn(server, wsIdleMs, "an attach", "attach", "idle=8s");
            String pid = Long.toString(server.process.pid());
            try (Probe ws = new Probe(server.port)) {
                ws.webSocket("/ws");
                long upgraded = System.nanoTime();
                attachOrReset(pid, "attach", "idle=2s");
                CompletableFuture<Long> wsClosed = webSocketClosedAfter(ws, upgraded, 9000);
                try (Probe http = new Probe(server.port)) {
                    http.request(false);
                    Measurements.assertTiming("HTTP after a second attach", http.closedAfter(System.nanoTime(), 5000),
                            2000, 1500, server);
                }
                Measurements.assertTiming("WebSocket through a second attach", wsClosed.get(), wsIdleMs, 1500,
                        server);
            }
            assertKeepsItsOwn(server, wsIdleMs, "a reset", "reset", null);
        }
    }

    /** A WebSocket opened now closes at its own idle although {@code command} runs while it waits. */
    private static void assertKeepsItsOwn(ServerProcess server, long wsIdleMs, String what, String command,
                                          String setting) throws Exception {
        try (Probe ws = new Probe(server.port)) {
            ws.webSocket("/ws");
            long upgraded = System.nanoTime();
            attachOrReset(Long.toString(server.process.pid()), command, setting);
            Measurements.assertTiming("WebSocket through " + what, ws.webSocketClosedAfter(upgraded, 9000),
                    wsIdleMs, 1500, server);
        }
    }

    private static CompletableFuture<Long> webSocketClosedAfter(Probe probe, long startNanos, long maxMs) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return probe.webSocketClosedAfter(startNanos, maxMs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void attachOrReset(String pid, String command, String setting) throws Exception {
        ServerProcess.CliResult r = setting == null ? ServerProcess.cli(Jdk.JDK17, command, pid)
                : ServerProcess.cli(Jdk.JDK17, command, pid, setting);
        assertEquals(0, r.exit(), r.output());
    }
}
