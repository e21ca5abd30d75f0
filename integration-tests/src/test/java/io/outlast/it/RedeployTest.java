package io.outlast.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A web application redeployed in a server's own distribution (Tomcat's, jetty-home): the agent keeps none of its
 * class loaders alive.
 * Counted in the heap as {@code jcmd GC.class_histogram} counts it (live objects, after a full collection).
 */
class RedeployTest {
    private static final int RELOADS = 5;

    /**
     * Each distribution's web application loader, and how many are live with /app's last: Tomcat's ROOT has one too.
     * Without the agent, the same count: what the server itself lets go of.
     */
    static Stream<Arguments> distributions() {
        return Stream.of(
                Arguments.of("tomcat-standalone", Family.TOMCAT, "org.apache.catalina.loader.ParallelWebappClassLoader", 2, true),
                Arguments.of("tomcat-standalone", Family.TOMCAT, "org.apache.catalina.loader.ParallelWebappClassLoader", 2, false),
                Arguments.of("jetty-home", Family.JETTY, "org.eclipse.jetty.ee10.webapp.WebAppClassLoader", 1, true),
                Arguments.of("jetty-home", Family.JETTY, "org.eclipse.jetty.ee10.webapp.WebAppClassLoader", 1, false));
    }

    /**
     * /app reloaded five times, with a request served through its servlet and its connection closed by the idle
     * timeout (the agent's, with {@code log=app}) before each reload: no more web application loaders live at the
     * end than the server keeps itself.
     */
    @ParameterizedTest(name = "{0}, with the agent: {4}")
    @MethodSource("distributions")
    void aReloadedWebApplicationLeavesNoLoaderBehind(String app, Family family, String loaderClass, long live,
                                                     boolean agent) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, agent ? "idle=1s,header=2s,log=app" : null,
                "-Dapp.idle=1000")) {
            for (int i = 0; i < RELOADS; i++) {
                try (Probe kept = new Probe(server.port)) {
                    assertTrue(kept.get("/app/", false).contains("ok"), "the servlet answers");
                    int mark = server.mark();
                    // closed by the idle timeout (the agent's, or Tomcat's own 1 s), after the servlet served it
                    kept.closedAfter(System.nanoTime(), 5000);
                    if (agent) {
                        // in the application's log where it has SLF4J (jetty-home), so matched in either form
                        String port = " remote=127.0.0.1:" + kept.localPort() + " ";
                        server.await(mark, l -> l.contains("close server=" + family.name() + " ") && l.contains(port)
                                && l.contains(" closer=server-idle "), Duration.ofSeconds(10));
                    }
                }
                int mark = server.mark();
                server.send("reload");
                server.await(mark, l -> l.equals("RELOADED"), Duration.ofSeconds(30));
            }
            try (Probe last = new Probe(server.port)) {
                assertTrue(last.get("/app/", true).contains("ok"), "the servlet answers after the reloads");
            }
            assertEquals(live, liveInstances(server, loaderClass), "web application loaders alive after " + RELOADS
                    + " reloads\n" + server.output());
        }
    }

    /** Live instances of the class, from the JVM's heap histogram (which collects first). */
    static long liveInstances(ServerProcess server, String className) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(server.jdk.java().resolveSibling("jcmd").toString(),
                Long.toString(server.process.pid()), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jcmd did not finish");
        List<String> rows = out.lines().filter(l -> l.trim().endsWith(" " + className)
                || l.contains(" " + className + " ")).toList();
        return rows.isEmpty() ? 0 : Long.parseLong(rows.get(0).trim().split("\\s+")[1]);
    }
}
