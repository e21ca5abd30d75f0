package io.outlast.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What holds for the agent whatever the server: isolation, bad input, log outputs. Jetty 12.0 is the subject. */
class AgentTest {
    static final String APP = "jetty-12.0";

    @ParameterizedTest(name = "agent classes invisible to the application, {0}")
    @ValueSource(strings = {"premain", "attach"})
    void agentClassesAreInvisibleToTheApplication(String mode) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, APP, mode.equals("premain") ? "idle=5s" : null)) {
            if (mode.equals("attach")) {
                server.attach("idle=5s");
            }
            server.await(l -> l.startsWith("outlast: " + (mode.equals("premain") ? "started" : "attached")),
                    Duration.ofSeconds(10));
            assertFalse(server.appCanLoad("io.outlast.core.settings.Config"), "agent core visible");
            assertFalse(server.appCanLoad("io.outlast.instrumentation.jetty.JettyConnections"), "instrumentation visible");
            assertFalse(server.appCanLoad("io.outlast.shaded.bytebuddy.ByteBuddy"), "shaded Byte Buddy visible");
            assertFalse(server.appCanLoad("net.bytebuddy.ByteBuddy"), "unshaded Byte Buddy visible");
            assertFalse(server.appCanLoad("org.objectweb.asm.ClassReader"), "ASM visible");
            // the one exception, by design: the hooks that advice inlined into the server's classes calls
            assertTrue(server.appCanLoad("io.outlast.bootstrap.JettyHooks"));
            // no jar of the agent's on the bootstrap search path: the JVM keeps sharing classes, and the
            // application's own manifest stays the first one it finds
            assertFalse(server.output().contains("Sharing is only supported"), "class data sharing turned off");
            assertTrue(server.appCanLoad("app.Main"));
        }
    }

    /** Byte Buddy's AgentBuilder probes sun.misc.Unsafe, which JDK 24+ reports; the agent must not make the JVM warn. */
    @Test
    void noJvmWarningsAtStartOnJdk25() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK25, APP, "idle=5s");
             Probe probe = new Probe(server.port)) {
            probe.request(false);
            server.await(l -> l.startsWith("outlast: jetty "), Duration.ofSeconds(10));
            assertTrue(server.output().lines().noneMatch(l -> l.contains("WARNING") || l.contains("VM warning")),
                    server.output());
        }
    }

    @Test
    void badConfigurationGetsOneErrorLineAndChangesNothing() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, APP, "idle=65,header=3s", "-Dapp.idle=1000");
             Probe probe = new Probe(server.port)) {
            probe.request(false);
            Measurements.assertTiming("the server's own idle", probe.closedAfter(System.nanoTime(), 5000), 1000,
                    Family.JETTY.lateMs(), server);
            List<String> outlast = server.output().lines().filter(l -> l.startsWith("outlast")).toList();
            assertEquals(1, outlast.size(), server.output());
            String error = outlast.get(0);
            assertTrue(error.startsWith("outlast: error: ") && error.contains("idle=65") && error.contains("unit"), error);
        }
    }

    @Test
    void attachWithBadConfigurationTouchesNothing() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, APP, null, "-Dapp.idle=1000")) {
            ServerProcess.CliResult r = ServerProcess.cli(Jdk.JDK17, "attach", Long.toString(server.process.pid()),
                    "idle=3s", "proxy=haproxy");
            assertEquals(2, r.exit(), r.output());
            assertTrue(r.output().contains("proxy=haproxy") && r.output().contains("aws-alb"), r.output());
            try (Probe probe = new Probe(server.port)) {
                probe.request(false);
                Measurements.assertTiming("the server's own idle", probe.closedAfter(System.nanoTime(), 5000), 1000,
                        Family.JETTY.lateMs(), server);
            }
            assertEquals(0, server.outlastLines(), server.output());
        }
    }

    @Test
    void attachToNoProcessFails() throws Exception {
        ServerProcess.CliResult r = ServerProcess.cli(Jdk.JDK17, "attach", "999999999", "idle=3s");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().startsWith("outlast: error: no such process: 999999999"), r.output());
    }

    @Test
    void jsonEventsToAFile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("outlast.log");
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, APP, "idle=1s,log=" + log + ",log.format=json");
             Probe probe = new Probe(server.port)) {
            probe.request(false);
            Measurements.assertTiming("idle", probe.closedAfter(System.nanoTime(), 5000), 1000, Family.JETTY.lateMs(),
                    server);
            String expected = "\"remote\":\"127.0.0.1:" + probe.localPort() + "\",\"closer\":\"server-idle\"";
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(Files.exists(log) && Files.readString(log).contains(expected)) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            String text = Files.readString(log);
            assertTrue(text.contains(expected), text);
            assertTrue(text.lines().allMatch(l -> l.startsWith("{\"time\":\"") && l.endsWith("}")), text);
            assertTrue(text.contains("\"event\":\"endpoint\",\"server\":\"jetty\""), text);
            assertEquals(0, server.outlastLines(), "nothing on the console when logging to a file:\n" + server.output());
        }
    }
}
