package io.outlast.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;
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
        return onJdks(apps, Set.of());
    }

    /**
     * As {@link #onJdks(List)}, with the frameworks named on JDK 17 alone: a framework adds nothing of its own on JDK
     * 25 that its family's own lines, run on both, do not cover (and the suite keeps under 30 minutes on 2 cores).
     */
    static Stream<Arguments> onJdks(List<String> apps, Set<String> frameworks) {
        return apps.stream().flatMap(app -> (frameworks.contains(app) ? List.of(Jdk.JDK17) : Jdk.allFor(app)).stream()
                .map(jdk -> Arguments.of(app, jdk)));
    }

    /** The server's own idle is its default; the agent makes it 2 s, with a 3 s header deadline (longer than idle). */
    @ParameterizedTest(name = "{0} on {1}, -javaagent")
    @MethodSource("appsOnJdks")
    void premain(String app, Jdk jdk) throws Exception {
        try (ServerProcess server = ServerProcess.start(jdk, app, "idle=2s,header=3s")) {
            Measurements.run(server, family(), 2000, 3000);
            // after the connections: a family may meet its endpoints at their first
            assertReport(server, app, ownIdle(app) + " -> 2000ms, header none -> 3000ms");
            assertShutdownEvents(server);
        }
    }

    /**
     * The app sets its server's idle to 1 s (or {@link #ownIdleBeforeAttachMs}); attached, the agent makes it 3 s, with a 2 s header deadline
     * (shorter than idle). A connection opened and kept busy before the attach must then wait 3 s, not 1 s.
     */
    @ParameterizedTest(name = "{0} on {1}, attached")
    @MethodSource("appsOnJdks")
    void attach(String app, Jdk jdk) throws Exception {
        long ownIdleMs = ownIdleBeforeAttachMs(app);
        try (ServerProcess server = ServerProcess.start(jdk, app, null, "-Dapp.idle=" + ownIdleMs);
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
            assertReport(server, app, "idle " + ownIdleMs + "ms -> 3000ms, header none -> 2000ms");
            assertShutdownEvents(server);
        }
    }

    /**
     * A connection already waiting for a request when the agent is attached must not run out the old
     * timeout: the app sets 4 s, the attach 6 s, and the connection, idle since before the attach, waits 6 s.
     */
    @ParameterizedTest(name = "{0}, waiting through the attach")
    @MethodSource("apps")
    void attachExtendsAWaitingConnection(String app) throws Exception {
        // NIO2 arms a read's timeout when the read is issued: one already pending keeps it (docs/tomcat.md)
        Assumptions.assumeFalse(app.endsWith("@nio2"), "a pending NIO2 read keeps the timeout it was issued with");
        assumeRowRuns("attachExtendsAWaitingConnection", app);
        Assumptions.assumeFalse(armsEachWaitAsItBegins(app), "the wait under way keeps the server's own timer (docs/"
                + family().name() + ".md)");
        // an attach that ends after the server's own 4 s has tested nothing (it took 4.5 s on 2 cores with 8 busy
        // processes): the server is started again, three times at most
        for (int start = 1; ; start++) {
            try (ServerProcess server = ServerProcess.start(Jdk.forApp(app), app, null, "-Dapp.idle=4000");
                 Probe waiting = new Probe(server.port)) {
                waiting.request(false);
                long lastResponse = System.nanoTime();
                server.attach("idle=6s");
                long attachedMs = (System.nanoTime() - lastResponse) / 1_000_000;
                if (attachedMs > 4000 - Measurements.EARLY_MS) {
                    assertTrue(start < 3, "the attach ended " + attachedMs + " ms into the server's own 4 s wait, in"
                            + " three starts: nothing tested\n" + server.output());
                    continue;
                }
                Measurements.assertTiming("connection waiting through the attach", waiting.closedAfter(lastResponse, 10_000),
                        6000, family().lateMs(), server);
                Map<String, String> event = server.closeEvent(waiting.localPort(), 0);
                assertEquals("server-idle", event.get("closer"), event.toString());
                return;
            }
        }
    }

    /**
     * With the agent at start, connections a proxy opens as soon as the port does, before the agent installs
     * (once the start has calmed): one kept alive after a request, one in the middle of its header. Both are
     * governed from the install on (idle 2 s, header 3 s), not left to the server's own timeouts (Jetty's 30 s,
     * Netty's none) until some activity that an idle connection never has.
     */
    @ParameterizedTest(name = "{0}, connections open before the install")
    @MethodSource("apps")
    void premainGovernsConnectionsOpenBeforeItsInstall(String app) throws Exception {
        // one JDK: the install meets them as an attach does, and both JDKs run each app's premain and attach
        Jdk jdk = Jdk.forApp(app);
        assumeSomethingGovernedFromBefore(app);
        assumeRowRuns("premainGovernsConnectionsOpenBeforeItsInstall", app);
        // the install waits for the start to calm: a start that pauses on a loaded machine looks over, and the agent
        // would come before the connections (a start that tests nothing). The start goes on a second past READY, and
        // should the agent still come first the server is started again, three times at most.
        for (int start = 1; ; start++) {
            try (ServerProcess server = ServerProcess.startUnawaited(jdk, app, "idle=2s,header=3s",
                    ServerProcess.startGoingOnAfterReady(1000));
                 Probe kept = new Probe(server.port); Probe midHeader = new Probe(server.port)) {
                kept.request(false);
                long lastResponse = System.nanoTime();
                midHeader.send("GET / HTTP/1.1\r\nHo");
                long headerStart = System.nanoTime();
                boolean installedBefore = server.has(l -> l.startsWith("outlast: started"));
                if (installedBefore && start < 3) {
                    continue;
                }
                assertFalse(installedBefore, "the agent installed before the connections were open, in three starts:"
                        + " nothing tested\n" + server.output());
                long installed = server.awaitNanos(l -> l.startsWith("outlast: started"), Duration.ofSeconds(30));
                assertGovernedFrom(app, installed, server, kept, lastResponse, midHeader, headerStart);
                return;
            }
        }
    }

    /** The same with the agent attached: the server's own timeouts until the attach, the agent's from it on. */
    @ParameterizedTest(name = "{0}, connections open before the attach")
    @MethodSource("apps")
    void attachGovernsConnectionsOpenBefore(String app) throws Exception {
        assumeSomethingGovernedFromBefore(app);
        try (ServerProcess server = ServerProcess.start(Jdk.forApp(app), app, null);
             Probe kept = new Probe(server.port); Probe midHeader = new Probe(server.port)) {
            kept.request(false);
            long lastResponse = System.nanoTime();
            midHeader.send("GET / HTTP/1.1\r\nHo");
            long headerStart = System.nanoTime();
            server.attach("idle=2s", "header=3s");
            assertGovernedFrom(app, System.nanoTime(), server, kept, lastResponse, midHeader, headerStart);
        }
    }

    /**
     * Why a row of an app that embeds the family's server in a heavy one is left to the family's own apps (an
     * application server whose start takes seconds of both cores, beside the rows in parallel), or null.
     */
    String rowLeftOut(String test, String app) {
        return null;
    }

    private void assumeRowRuns(String test, String app) {
        String why = rowLeftOut(test, app);
        Assumptions.assumeTrue(why == null, why);
    }

    /** Skipped, not passed, where the family leaves both a wait and a header begun before the agent. */
    private void assumeSomethingGovernedFromBefore(String app) {
        Assumptions.assumeTrue(governsWaitsBegunBeforeTheAgent(app) || governsHeadersBegunBeforeTheAgent(app),
                "neither a wait nor a header begun before the agent is governed here (docs/" + family().name() + ".md)");
    }

    /**
     * Each connection closed by the agent's timeout, never before it and at the latest that long after the
     * agent came: the wait counted from its last activity where the server records it, else from then.
     */
    private void assertGovernedFrom(String app, long installedNanos, ServerProcess server, Probe kept, long lastResponse,
                                    Probe midHeader, long headerStart) throws Exception {
        if (governsWaitsBegunBeforeTheAgent(app)) {
            assertClosedFrom("kept alive", installedNanos, server, kept, lastResponse, 2000, family().lateMs(),
                    "server-idle");
        }
        if (governsHeadersBegunBeforeTheAgent(app)) {
            assertClosedFrom("mid-header", installedNanos, server, midHeader, headerStart, 3000,
                    Measurements.HEADER_LATE_MS, "server-header");
        }
    }

    /** Closed by {@code closer}, {@code timeoutMs} after {@code startNanos} at the soonest, after the install at the latest. */
    private void assertClosedFrom(String what, long installedNanos, ServerProcess server, Probe probe, long startNanos,
                                  long timeoutMs, long lateMs, String closer) throws Exception {
        long limit = Probe.elapsedMs(startNanos) - Probe.elapsedMs(installedNanos) + timeoutMs + lateMs;
        long ms = probe.closedAfter(startNanos, limit + 5000);
        System.out.println("timing " + what + " from before the agent: " + ms + " ms, expected " + timeoutMs + ".." + limit);
        assertTrue(ms != Probe.NEVER && ms >= timeoutMs - Measurements.EARLY_MS && ms <= limit,
                what + " from before the agent: closed after " + ms + " ms, expected " + timeoutMs + ".." + limit
                        + "\n" + server.output());
        assertEquals(closer, server.closeEvent(probe.localPort(), 0).get("closer"), server.output());
    }

    /** Without the agent the same app keeps its server's behaviour: the agent is what changed it. */
    @ParameterizedTest(name = "{0}, no agent")
    @MethodSource("apps")
    void withoutAgent(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.forApp(app), app, null, "-Dapp.idle=1000")) {
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

    /** The app's server's own default idle as the report gives it: its family's unless it says otherwise. */
    String ownIdle(String app) {
        return family().defaultIdleMs() < 0 ? "idle none" : "idle " + family().defaultIdleMs() + "ms";
    }

    /** The server's own idle in {@link #attach}, under the agent's 3 s: a connection kept busy must outlast it. */
    long ownIdleBeforeAttachMs(String app) {
        return 1000;
    }

    /**
     * Whether the server arms a timer as each wait or read begins, which the agent sets for the next one: a wait or a
     * header under way when the agent comes keeps the server's own (Ktor CIO, Open Liberty).
     */
    boolean armsEachWaitAsItBegins(String app) {
        return false;
    }

    /** Whether a wait for the next request begun before the agent came is held to the agent's idle. */
    boolean governsWaitsBegunBeforeTheAgent(String app) {
        return !armsEachWaitAsItBegins(app);
    }

    /** Whether a header begun before the agent came is held to the agent's deadline (docs/<family>.md says why not). */
    boolean governsHeadersBegunBeforeTheAgent(String app) {
        return !armsEachWaitAsItBegins(app);
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
