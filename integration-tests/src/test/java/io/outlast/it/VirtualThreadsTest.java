package io.outlast.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Servers that serve their requests on virtual threads (Java 21+, so JDK 25 here): Jetty 12's
 * {@code VirtualThreadPool}, Tomcat's {@code useVirtualThreads}, the JDK server with a virtual thread per
 * exchange, Grizzly with an executor of virtual threads as its worker pool, Helidon 4 (a virtual thread per
 * connection, always). The same measurements as on platform threads, premain and attached; and the agent's code
 * pins no carrier: a JFR recording of {@code jdk.VirtualThreadPinned} (any duration) under load, after a warm-up,
 * names none of its frames.
 */
class VirtualThreadsTest {
    static Stream<Arguments> apps() {
        return Stream.of(
                Arguments.of("jetty-12.0@vt", Family.JETTY),
                Arguments.of("jetty-12.1@vt", Family.JETTY),
                Arguments.of("tomcat-10.1@vt", Family.TOMCAT),
                Arguments.of("tomcat-11.0@vt", Family.TOMCAT),
                Arguments.of("spring-boot-tomcat@vt", Family.TOMCAT),
                Arguments.of("jdk-httpserver@vt", Family.JDK),
                Arguments.of("grizzly-4@vt", Family.GRIZZLY));
    }

    @ParameterizedTest(name = "{0} on JDK 25, -javaagent")
    @MethodSource("apps")
    void premain(String app, Family family) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK25, app, "idle=2s,header=3s")) {
            assertServesOnVirtualThreads(server);
            Measurements.run(server, family, 2000, 3000);
        }
    }

    @ParameterizedTest(name = "{0} on JDK 25, attached")
    @MethodSource("apps")
    void attach(String app, Family family) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK25, app, null)) {
            server.attach("idle=3s", "header=2s");
            Measurements.run(server, family, 3000, 2000);
        }
    }

    /**
     * Recorded after a warm-up: a class's first loading pins a virtual thread's carrier in every library (the
     * servers' own code shows it too), once. What must never pin is the agent's code on every connection.
     */
    /**
     * Once per family: the agent's code on a request's path is the family's, whatever the line. Helidon 4 serves on
     * virtual threads alone: its premain and attach rows are HelidonTest's.
     */
    static Stream<Arguments> appsPinning() {
        return Stream.concat(Jdk.only(apps(), Set.of("jetty-12.1@vt", "tomcat-11.0@vt", "jdk-httpserver@vt", "grizzly-4@vt")),
                Stream.of(Arguments.of("helidon-4", Family.HELIDON)));
    }

    @ParameterizedTest(name = "{0} on JDK 25: no carrier pinned in outlast's code")
    @MethodSource("appsPinning")
    void theAgentPinsNoCarrier(String app, Family family) throws Exception {
        Path dir = Files.createTempDirectory("outlast-jfr");
        Path recording = dir.resolve("pinned.jfr");
        try {
            try (ServerProcess server = ServerProcess.start(Jdk.JDK25, app, "idle=2s,header=3s")) {
                load(server);
                Measurements.run(server, family, 2000, 3000);
                server.jcmd("JFR.start", "name=pinned", "jdk.VirtualThreadPinned#enabled=true",
                        "jdk.VirtualThreadPinned#threshold=0ms", "filename=" + recording);
                load(server);
                Measurements.run(server, family, 2000, 3000);
                server.jcmd("JFR.stop", "name=pinned");
            }
            Process jfr = new ProcessBuilder(Jdk.JDK25.home().resolve("bin/jfr").toString(), "print", "--events",
                    "jdk.VirtualThreadPinned", recording.toString()).redirectErrorStream(true).start();
            String printed = new String(jfr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jfr.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, jfr.exitValue(), printed);
            assertFalse(printed.contains("io.outlast"), "a carrier pinned in outlast's code:\n" + printed);
        } finally {
            TempDirs.delete(dir);
        }
    }

    /** 200 requests, eight connections at once, half of them closed by the server. */
    private static void load(ServerProcess server) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                done.add(clients.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        try (Probe p = Probe.to(server)) {
                            assertTrue(p.request(i % 2 == 0).startsWith("HTTP/1.1 200"));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** The app really serves on virtual threads: its handler's thread, as the app answers it. */
    private static void assertServesOnVirtualThreads(ServerProcess server) throws Exception {
        try (Probe p = Probe.to(server)) {
            String response = p.request(true);
            assertTrue(response.toLowerCase().contains("x-virtual-thread: true"), response);
        }
    }
}
