package io.outlast.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Netty 4.1 and 4.2, plain and under Reactor Netty (1.1, 1.2, and in a Spring Boot WebFlux executable jar),
 * Vert.x (4.5, 5.0), Armeria (1.x, on Netty 4.2, with an idle timeout of its own), Micronaut 4 (on Netty 4.2,
 * with its own idle too, in an uber-jar that lost Netty's version files), Ktor 3 (a Kotlin app, on Netty 4.2) and
 * Quarkus 3 (on Vert.x 4.5, packed by Quarkus's build plugin).
 */
class NettyTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("netty-4.1", "netty-4.2", "reactor-netty-1.1", "reactor-netty-1.2", "spring-boot-webflux",
                "vertx-4.5", "vertx-5.0", "armeria-1.x", "micronaut-4", "ktor-3", "quarkus-3");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps(), Set.of("micronaut-4", "ktor-3", "quarkus-3"));
    }

    @ParameterizedTest(name = "{0}: a WebSocket keeps the application's idle through attach, re-attach, reset")
    @ValueSource(strings = {"netty-4.1", "netty-4.2"})
    void aWebSocketKeepsItsOwnIdle(String app) throws Exception {
        UpgradedConnections.assertKeepTheirOwnIdle(app);
    }

    /**
     * An uber-jar that merged Netty's jars without their version files (no appending transformer): the line is read
     * from Netty's classes, said once, and the server is governed as its line is.
     */
    @ParameterizedTest(name = "{0} without Netty's version files")
    @CsvSource({"netty-4.1, 4.1.x", "netty-4.2, 4.2.x"})
    void theLineFromItsClassesWhereAnUberJarLostTheVersionFiles(String app, String line) throws Exception {
        Path dir = Files.createTempDirectory("outlast-uberjar");
        try {
            Path jar = Files.createDirectories(dir.resolve(app).resolve("target")).resolve("app.jar");
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(ServerProcess.APPS.resolve(app)
                    .resolve("target/app.jar"))); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    if (!e.getName().equals("META-INF/io.netty.versions.properties")) {
                        out.putNextEntry(new ZipEntry(e.getName()));
                        in.transferTo(out);
                        out.closeEntry();
                    }
                }
            }
            try (ServerProcess server = ServerProcess.start(Jdk.JDK17, dir.resolve(app).toString(), "idle=2s,header=3s");
                 Probe probe = new Probe(server.port)) {
                probe.request(false);
                Measurements.assertTiming("idle after a response", probe.closedAfter(System.nanoTime(), 6000), 2000,
                        family().lateMs(), server);
                assertTrue(server.has(l -> l.startsWith("outlast: netty " + line + " server 127.0.0.1:")), server.output());
                assertEquals(1, server.count(l -> l.contains("no version files") && l.contains(line + " by its classes")),
                        server.output());
            }
        } finally {
            TempDirs.delete(dir);
        }
    }

    @Override
    Family family() {
        return Family.NETTY;
    }

    /**
     * Reactor Netty's, Vert.x's (Quarkus's too) and the Ktor app's idle handlers sit behind the HTTP decoder, and Armeria's timer
     * counts its messages: a partial header is no activity.
     */
    @Override
    boolean ownIdleEndsSlowHeaders(String app) {
        return app.startsWith("reactor-") || app.startsWith("spring-boot-") || app.startsWith("vertx-")
                || app.startsWith("quarkus-") || app.startsWith("armeria-") || app.startsWith("ktor-");
    }

    /** The Netty line under each app. */
    @Override
    String serverLine(String app) {
        if (app.startsWith("netty-")) {
            return app.substring("netty-".length());
        }
        return app.equals("vertx-5.0") || app.startsWith("armeria-") || app.startsWith("micronaut-")
                || app.startsWith("ktor-") ? "4.2" : "4.1";
    }

    /** Armeria closes idle connections itself, at 15 s by default; Micronaut at 5 min, Quarkus at 30. */
    @Override
    String ownIdle(String app) {
        return app.startsWith("armeria-") ? "idle 15000ms" : app.startsWith("micronaut-") ? "idle 300000ms"
                : app.startsWith("quarkus-") ? "idle 1800000ms" : super.ownIdle(app);
    }

    /** Two requests in one write: the idle clock starts at the second response, and both are counted. */
    @ParameterizedTest(name = "{0}, pipelined requests")
    @MethodSource("apps")
    void pipelinedRequests(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, "idle=2s,header=3s");
             Probe probe = new Probe(server.port)) {
            int mark = server.mark();
            probe.send("GET / HTTP/1.1\r\nHost: probe\r\n\r\nGET / HTTP/1.1\r\nHost: probe\r\n\r\n");
            probe.response();
            probe.response();
            long answered = System.nanoTime();
            Measurements.assertTiming("idle after pipelined requests", probe.closedAfter(answered, 6000), 2000,
                    family().lateMs(), server);
            Measurements.assertEvent(server, family(), mark, probe.localPort(), "server-idle", 2);
        }
    }

    /**
     * The sweep dates a wait from the counts the advice keeps (no clock per request): a peer's close after a
     * known wait reports an idle under by at most a sweep period (a twentieth of the shorter timeout, 1 s
     * with no timeout set) and never over, with timeouts and without.
     */
    @ParameterizedTest(name = "{0}, {1}: idle_ms of a peer's close")
    @CsvSource({"netty-4.1, idle=2s, 100", "netty-4.2, enabled=true, 1000", "reactor-netty-1.2, header=3s, 150",
            "vertx-5.0, enabled=true, 1000"})
    void peerCloseIdleMs(String app, String agentArgs, long periodMs) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, agentArgs)) {
            int mark = server.mark();
            int clientPort;
            long waitedMs;
            try (Probe probe = new Probe(server.port)) {
                clientPort = probe.localPort();
                probe.request(false);
                long answered = System.nanoTime();
                Thread.sleep(1200);
                waitedMs = (System.nanoTime() - answered) / 1_000_000;
            }
            Map<String, String> event = Measurements.assertEvent(server, family(), mark, clientPort, "peer", 1);
            long idle = Long.parseLong(event.get("idle_ms"));
            assertTrue(idle <= waitedMs + 50 && idle >= waitedMs - periodMs - 100,
                    "idle_ms " + idle + " after a wait of " + waitedMs + " ms: " + event);
        }
    }

    /** A WebSocket is no longer HTTP: the agent's idle and header timeouts do not apply to it. */
    @ParameterizedTest(name = "{0} on JDK 17, WebSocket")
    @ValueSource(strings = {"netty-4.1", "netty-4.2"})
    void webSocketKeepsItsConnection(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, "idle=1s,header=1s");
             Probe probe = new Probe(server.port)) {
            int mark = server.mark();
            probe.send("GET /ws HTTP/1.1\r\nHost: probe\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            String head = probe.head();
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            // half a frame header: a header deadline, were it still HTTP, would cut this too
            probe.send("\u0081");
            assertEquals(Probe.NEVER, probe.closedAfter(System.nanoTime(), 3000), "upgraded connection closed\n"
                    + server.output());
            probe.reset();
            Map<String, String> event = server.closeEvent(probe.localPort(), mark);
            assertEquals("1", event.get("requests"), event.toString());
        }
    }

    /** A Netty HTTP client in the same JVM as a Netty server is not the agent's: its connection stays open. */
    @Test
    void clientInTheSameJvmKeepsItsBehaviour() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "netty-4.1", "idle=1s,header=1s");
             ServerSocket remote = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.send("client " + remote.getLocalPort());
            try (Socket accepted = remote.accept()) {
                accepted.setSoTimeout(5000);
                InputStream in = accepted.getInputStream();
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                while (!request.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                    request.write(in.read());
                }
                accepted.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                        .getBytes(StandardCharsets.US_ASCII));
                String connected = server.await(l -> l.startsWith("CLIENT "), Duration.ofSeconds(10));
                assertTrue(connected.startsWith("CLIENT localPort="), connected);
                // well past the agent's idle and header timeouts, both ends still open
                accepted.setSoTimeout(3000);
                assertThrows(SocketTimeoutException.class, () -> in.read(), "the client's connection was closed");
                server.send("client?");
                String open = server.await(l -> l.startsWith("CLIENT open="), Duration.ofSeconds(10));
                assertEquals("CLIENT open=true", open);
                String port = connected.substring("CLIENT localPort=".length());
                assertFalse(server.has(l -> l.contains("outlast: close") && l.contains(":" + port + " ")), server.output());
            }
        }
    }

    /** A relocated (shaded) Netty is not one the agent knows: it says so, and Netty keeps its behaviour. */
    @Test
    void relocatedNettyIsLeftAlone() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "netty-relocated", "idle=1s,header=1s");
             Probe probe = new Probe(server.port)) {
            probe.request(false);
            assertEquals(Probe.NEVER, probe.closedAfter(System.nanoTime(), 2500), server.output());
            server.await(l -> l.startsWith("outlast: warning: netty: relocated.io.netty.") && l.contains("left untouched"),
                    Duration.ofSeconds(5));
            assertFalse(server.has(l -> l.startsWith("outlast: close")), server.output());
        }
    }
}
