package io.outlast.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's commands (list, attach to a running agent, status, reset, probe), JMX, log=app, and their errors. */
class OperatorTest {
    private static final Pattern PROBED = Pattern.compile("idle after a response: closed by the server after (\\d+\\.\\d) s");

    @Test
    void listShowsTheJvmsAndWhatOutlastFound() throws Exception {
        try (ServerProcess with = ServerProcess.start(Jdk.JDK17, "jetty-12.0", "idle=5s");
             ServerProcess without = ServerProcess.start(Jdk.JDK17, "netty-4.1", null)) {
            try (Probe probe = new Probe(with.port)) {
                // an agent given at start meets a server at its first connection
                probe.request(false);
            }
            with.await(l -> l.startsWith("outlast: jetty "), Duration.ofSeconds(10));
            ServerProcess.CliResult r = ServerProcess.cli(Jdk.JDK17, "list", null);
            assertEquals(0, r.exit(), r.output());
            List<String> lines = r.output().lines().toList();
            int i = indexOfPid(lines, with.process.pid());
            assertTrue(i >= 0, r.output());
            assertTrue(lines.get(i).matches(with.process.pid() + "\\s+17\\.\\S+\\s+0\\.1\\.0\\s+.*app\\.jar.*"), lines.get(i));
            assertTrue(lines.get(i + 1).trim().matches("servers: jetty 12\\.0\\.\\S+ 127\\.0\\.0\\.1:" + with.port), lines.get(i + 1));
            int j = indexOfPid(lines, without.process.pid());
            assertTrue(lines.get(j).matches(without.process.pid() + "\\s+17\\.\\S+\\s+no\\s+.*"), lines.get(j));
        }
    }

    /**
     * A server the agent finds and does not govern (Apache HttpCore 5's) is named once, at start or
     * at the attach: in the log, in {@code status} and in {@code list}, not left as "no server found" beside the
     * agent's started line.
     */
    @ParameterizedTest(name = "a server not governed is named, {1} ({0})")
    @CsvSource({
            "premain, httpcore-5, , Apache HttpCore 5 server, org.apache.hc.core5.http.impl.bootstrap.HttpServer",
            "attach, httpcore-5, , Apache HttpCore 5 server, org.apache.hc.core5.http.impl.bootstrap.HttpServer"})
    void aServerNotGovernedIsNamedOnce(String mode, String app, String jvmArg, String name, String foundBy)
            throws Exception {
        String[] jvmArgs = jvmArg == null ? new String[0] : new String[] {jvmArg};
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, mode.equals("premain") ? "idle=5s" : null,
                jvmArgs)) {
            if (mode.equals("attach")) {
                server.attach("idle=5s");
            }
            try (Probe probe = new Probe(server.port)) {
                probe.request(false);
            }
            server.await(l -> l.startsWith("outlast: warning: " + name + " found (" + foundBy
                    + "), not governed by outlast: its own idle"), Duration.ofSeconds(10));
            String pid = Long.toString(server.process.pid());
            awaitStatus(pid, "found, not governed: " + name + ": its own idle");
            ServerProcess.CliResult list = ServerProcess.cli(Jdk.JDK17, "list", null);
            List<String> lines = list.output().lines().toList();
            int i = indexOfPid(lines, server.process.pid());
            assertTrue(i >= 0 && lines.get(i + 1).trim().equals("servers: not governed: " + name), list.output());
            assertEquals(1, server.output().lines().filter(l -> l.contains(name + " found")).count(), server.output());
        }
    }

    /**
     * A second attach changes the loaded agent's settings, live: a connection already waiting under the old
     * idle (2 s) closes at the new one (4 s), and there is one agent (one close event per connection).
     */
    @ParameterizedTest(name = "{0}: attach reconfigures, open connections too")
    @ValueSource(strings = {"jetty-12.0", "tomcat-10.1", "undertow-2.3", "jdk-httpserver", "netty-4.1", "vertx-4.5"})
    void attachReconfiguresALoadedAgent(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, "idle=2s");
             Probe waiting = new Probe(server.port)) {
            waiting.request(false);
            long answered = System.nanoTime();
            String reply = server.attach("idle=4s");
            assertTrue(reply.contains("outlast settings changed: idle=2s") && reply.contains("-> idle=4s"), reply);
            Measurements.assertTiming(app + ": connection waiting through the change", waiting.closedAfter(answered, 8000),
                    4000, 1500, server);
            Map<String, String> event = server.closeEvent(waiting.localPort(), 0);
            assertEquals("server-idle", event.get("closer"), event.toString());
            assertEquals(1, server.output().lines().filter(l -> l.contains("outlast: close ")
                    && l.contains(" remote=127.0.0.1:" + waiting.localPort() + " ")).count(), server.output());
            assertFalse(server.has(l -> l.contains("already loaded")), server.output());
        }
    }

    @Test
    void statusCountsClosesAndPossible502s() throws Exception {
        // a server idle (1 s) shorter than the proxy's (2 s): each idle close is a possible 502
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "jetty-12.0", "idle=1s,proxy=2s")) {
            try (Probe a = new Probe(server.port); Probe b = new Probe(server.port)) {
                a.request(false);
                b.request(false);
                a.closedAfter(System.nanoTime(), 3000);
                b.closedAfter(System.nanoTime(), 3000);
            }
            try (Probe c = new Probe(server.port)) {
                c.request(false);
            }
            server.await(l -> l.contains("closer=peer"), Duration.ofSeconds(5));
            // the status is read where the agent publishes it, at most a second or so behind the closes
            ServerProcess.CliResult r = ServerProcess.cli(Jdk.JDK17, "status", Long.toString(server.process.pid()));
            for (int i = 0; i < 10 && !r.output().contains("closes: 3 "); i++) {
                Thread.sleep(300);
                r = ServerProcess.cli(Jdk.JDK17, "status", Long.toString(server.process.pid()));
            }
            assertEquals(0, r.exit(), r.output());
            String out = r.output();
            assertTrue(out.contains("(as of "), out);
            assertTrue(out.contains("settings: idle=1s header=2s proxy=2s(2s)"), out);
            assertTrue(out.contains("jetty 12.0."), out);
            assertTrue(out.contains("127.0.0.1:" + server.port), out);
            assertTrue(out.contains("idle: own 30s, in force 1s; header: own none, in force 2s"), out);
            assertTrue(out.contains("closes: 3 (server-idle 2, server-header 0, peer 1, error 0, shutdown 0, server 0, drain 0)"), out);
            assertTrue(out.contains("server idle closes sooner than the proxy's 2s (possible 502s): 2"), out);
            Matcher p50 = Pattern.compile("idle at close: p50 (\\d+)ms").matcher(out);
            assertTrue(p50.find(), out);
            assertTrue(Long.parseLong(p50.group(1)) >= 900 && Long.parseLong(p50.group(1)) <= 1300, out);
        }
    }

    /**
     * {@code status} counts the connections followed as they open, without an event to publish it: the status text
     * was made again only on an event (a close, an endpoint met), so it said 1 here until the first close, and after
     * an attach that met thousands of connections, the few it had met when it published.
     */
    @Test
    void statusFollowsConnectionsWithoutAnEvent() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "netty-4.1", "idle=30s");
             Probe a = new Probe(server.port)) {
            a.request(false);
            String pid = Long.toString(server.process.pid());
            awaitStatus(pid, "netty 1, ");
            try (Probe b = new Probe(server.port); Probe c = new Probe(server.port)) {
                b.request(false);
                c.request(false);
                awaitStatus(pid, "netty 3, ");
            }
        }
    }

    private static void awaitStatus(String pid, String text) throws Exception {
        ServerProcess.CliResult r = ServerProcess.cli(Jdk.JDK17, "status", pid);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (!r.output().contains(text) && System.nanoTime() < end) {
            Thread.sleep(300);
            r = ServerProcess.cli(Jdk.JDK17, "status", pid);
        }
        assertTrue(r.output().contains(text), "'" + text.trim() + "' in:\n" + r.output());
    }

    /** The MBean of an endpoint, as a JMX console in the application reads it. */
    @Test
    void endpointMBean() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "netty-4.1", "idle=1s,proxy=2s");
             Probe probe = new Probe(server.port)) {
            probe.request(false);
            probe.closedAfter(System.nanoTime(), 3000);
            server.await(l -> l.contains("closer=server-idle"), Duration.ofSeconds(5));
            String name = "io.outlast:type=Endpoint,server=netty,port=" + server.port;
            assertEquals("1000", mbean(server, name, "IdleMs"));
            assertEquals("-1", mbean(server, name, "OwnIdleMs"));
            assertEquals("2000", mbean(server, name, "ProxyMs"));
            assertEquals("1", mbean(server, name, "Closes"));
            assertEquals("1", mbean(server, name, "IdleClosesBeforeProxy"));
        }
    }

    @Test
    void resetPutsTheServersOwnTimeoutsBack() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "jetty-12.0", "idle=1s", "-Dapp.idle=3000")) {
            try (Probe before = new Probe(server.port)) {
                before.request(false);
                Measurements.assertTiming("the agent's idle", before.closedAfter(System.nanoTime(), 5000), 1000, 1000, server);
            }
            ServerProcess.CliResult r = ServerProcess.cli(Jdk.JDK17, "reset", Long.toString(server.process.pid()));
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("outlast reset"), r.output());
            int mark = server.mark();
            try (Probe after = new Probe(server.port)) {
                after.request(false);
                Measurements.assertTiming("the server's own idle after reset", after.closedAfter(System.nanoTime(), 6000),
                        3000, 1000, server);
            }
            Thread.sleep(300);
            assertFalse(server.output().lines().skip(mark).anyMatch(l -> l.startsWith("outlast")), server.output());
            ServerProcess.CliResult status = ServerProcess.cli(Jdk.JDK17, "status", Long.toString(server.process.pid()));
            assertEquals(1, status.exit(), status.output());
            assertTrue(status.output().contains("not loaded"), status.output());
            // and it can come back
            server.attach("idle=2s");
            try (Probe again = new Probe(server.port)) {
                again.request(false);
                Measurements.assertTiming("the agent's idle, attached again", again.closedAfter(System.nanoTime(), 5000),
                        2000, 1000, server);
            }
        }
    }

    /**
     * Attached, reset and attached again while a connection waits: it keeps its wait. Undertow's timer armed by the
     * first agent keeps that deadline through the reset, and the second agent read it as armed with Undertow's own
     * (much longer) idle: the wait dated minutes back, every waiting connection closed at once.
     */
    @ParameterizedTest(name = "{0}: attach, reset, attach: a waiting connection keeps its wait")
    @ValueSource(strings = {"jetty-12.0", "tomcat-10.1", "undertow-2.3", "jdk-httpserver", "netty-4.1"})
    void attachAfterResetKeepsWaitingConnections(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, null, "-Dapp.idle=60000");
             Probe waiting = new Probe(server.port)) {
            waiting.request(false);
            long answered = System.nanoTime();
            String pid = Long.toString(server.process.pid());
            server.attach("idle=4s");
            ServerProcess.CliResult reset = ServerProcess.cli(Jdk.JDK17, "reset", pid);
            assertEquals(0, reset.exit(), reset.output());
            server.attach("idle=4s");
            long sinceAnswer = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered);
            // the second agent may date the wait from its own arrival where the server does not say when it began
            Measurements.assertTiming(app + ": connection waiting through attach, reset and attach",
                    waiting.closedAfter(answered, 12_000), 4000, sinceAnswer + 1500, server);
        }
    }

    @Test
    void probeMeasuresAnyServerFromOutside() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "jetty-12.0", null, "-Dapp.idle=1000")) {
            String target = "127.0.0.1:" + server.port;
            ServerProcess.CliResult r = ServerProcess.cli(Jdk.JDK17, "probe", target, "--proxy", "2s", "--max", "4s");
            assertEquals(3, r.exit(), r.output());
            Matcher m = PROBED.matcher(r.output());
            assertTrue(m.find(), r.output());
            double s = Double.parseDouble(m.group(1));
            assertTrue(s >= 0.7 && s <= 2.0, r.output());
            assertTrue(r.output().contains("before a first request: closed by the server after"), r.output());
            assertTrue(r.output().contains("unfinished header: closed by the server after"), r.output());
            assertTrue(r.output().contains("NOT outlasted"), r.output());
            ServerProcess.CliResult shorter = ServerProcess.cli(Jdk.JDK17, "probe", target, "/", "--proxy", "500ms",
                    "--max", "4s");
            assertEquals(0, shorter.exit(), shorter.output());
            assertTrue(shorter.output().contains("outlasted"), shorter.output());
        }
    }

    /** The operator who typed the settings sees their warnings, not only the server's log. */
    @Test
    void attachPrintsTheWarningsOfItsSettings() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "jetty-12.0", "idle=2s")) {
            ServerProcess.CliResult r = ServerProcess.cli(Jdk.JDK17, "attach", Long.toString(server.process.pid()),
                    "idle=30s", "proxy=aws-alb");
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("outlast settings changed"), r.output());
            assertTrue(r.output().contains("outlast: warning: idle 30s does not outlast proxy aws-alb (60s)"),
                    r.output());
        }
    }

    @Test
    void attachErrorsSayWhatToDo() throws Exception {
        // no such process
        ServerProcess.CliResult none = ServerProcess.cli(Jdk.JDK17, "attach", "999999999", "idle=3s");
        assertEquals(1, none.exit(), none.output());
        assertTrue(none.output().contains("no such process"), none.output());
        // not a JVM
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            ServerProcess.CliResult notJava = ServerProcess.cli(Jdk.JDK17, "attach", Long.toString(sleep.pid()), "idle=3s");
            assertEquals(1, notJava.exit(), notJava.output());
            assertTrue(notJava.output().contains("is not a Java VM"), notJava.output());
        } finally {
            sleep.destroyForcibly();
        }
        // attach disabled in the target
        try (ServerProcess disabled = ServerProcess.start(Jdk.JDK17, "jetty-12.0", null, "-XX:+DisableAttachMechanism")) {
            ServerProcess.CliResult r = ServerProcess.cli(Jdk.JDK17, "attach", Long.toString(disabled.process.pid()), "idle=3s");
            assertEquals(1, r.exit(), r.output());
            assertTrue(r.output().contains("attach is disabled"), r.output());
        }
        // a Java without the attach module
        List<String> cmd = List.of(Jdk.JDK17.java().toString(), "--limit-modules", "java.base,java.instrument,java.management",
                "-jar", ServerProcess.AGENT_JAR.toString(), "attach", "1", "idle=3s");
        Result noModule = run(cmd);
        assertEquals(1, noModule.exit, noModule.output);
        assertTrue(noModule.output.contains("no attach API"), noModule.output);
        // status of a JVM without outlast: said, and nothing loaded into it
        try (ServerProcess plain = ServerProcess.start(Jdk.JDK17, "jetty-12.0", null)) {
            ServerProcess.CliResult r = ServerProcess.cli(Jdk.JDK17, "status", Long.toString(plain.process.pid()));
            assertEquals(1, r.exit(), r.output());
            assertTrue(r.output().contains("not loaded"), r.output());
            assertFalse(plain.has(l -> l.startsWith("outlast")), plain.output());
        }
    }

    /** Another user's JVM: the command says whose it is (the JVM would only refuse the connection). */
    @Test
    void anotherUsersJvm() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run the command as another user");
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "jetty-12.0", null)) {
            List<String> cmd = List.of("runuser", "-u", "nobody", "--", Jdk.JDK17.java().toString(), "-jar",
                    ServerProcess.AGENT_JAR.toAbsolutePath().toString(), "attach", Long.toString(server.process.pid()),
                    "idle=3s");
            Result r = run(cmd);
            assertEquals(1, r.exit, r.output);
            assertTrue(r.output.contains("belongs to user root"), r.output);
        }
    }

    /** JDK 21+ warns about agents loaded into a running JVM: the command says it and how to avoid it. */
    @Test
    void noteForJdk21Targets() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK25, "jetty-12.0", null)) {
            String pid = Long.toString(server.process.pid());
            ServerProcess.CliResult r = ServerProcess.cli(Jdk.JDK25, "attach", pid, "idle=3s");
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("note: JDK 25 prints a warning") && r.output().contains("-javaagent"), r.output());
            server.await(l -> l.contains("loaded dynamically"), Duration.ofSeconds(10));
            long warnings = server.output().lines().filter(l -> l.contains("loaded dynamically")).count();
            // status reads what the agent publishes: no second agent load, no second warning
            ServerProcess.CliResult status = ServerProcess.cli(Jdk.JDK25, "status", pid);
            assertEquals(0, status.exit(), status.output());
            assertTrue(status.output().contains("settings: idle=3s"), status.output());
            // reset must act inside the JVM, which takes an agent's load: the command says so
            ServerProcess.CliResult reset = ServerProcess.cli(Jdk.JDK25, "reset", pid);
            assertEquals(0, reset.exit(), reset.output());
            assertTrue(reset.output().contains("reset acts inside the JVM, which takes loading an agent"), reset.output());
            server.await(l -> l.contains("outlast reset") || l.contains("reset: the servers"), Duration.ofSeconds(10));
            long after = server.output().lines().filter(l -> l.contains("loaded dynamically")).count();
            assertTrue(after <= warnings + 1, "status added a warning too: " + server.output());
        }
    }

    /** log=app: close events reach the application's own logging (Spring Boot's Logback) through SLF4J. */
    @Test
    void logToTheApplicationsLogger() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "spring-boot-tomcat", "idle=1s,log=app");
             Probe probe = new Probe(server.port)) {
            probe.request(false);
            probe.closedAfter(System.nanoTime(), 3000);
            String line = server.await(l -> l.contains("close server=tomcat") && l.contains("closer=server-idle"),
                    Duration.ofSeconds(10));
            // Logback's console pattern: time, level, pid, thread, logger name, message
            assertFalse(line.startsWith("outlast:"), line);
            assertTrue(line.contains(" INFO ") && line.contains(" outlast "), line);
        }
    }

    private static String mbean(ServerProcess server, String name, String attribute) throws IOException {
        server.send("mbean " + name + " " + attribute);
        String line = server.await(l -> l.startsWith("MBEAN " + name + " " + attribute + " "), Duration.ofSeconds(10));
        return line.substring(("MBEAN " + name + " " + attribute + " ").length());
    }

    private static int indexOfPid(List<String> lines, long pid) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(pid + " ")) {
                return i;
            }
        }
        return -1;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return new Result(p.exitValue(), out);
    }
}
