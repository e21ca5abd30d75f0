package io.outlast.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling deploy's stop through a real nginx: two servers in one upstream pool (keep-alive), clients POSTing
 * steadily, one server stopped by SIGTERM in the middle. Its own stop (the JVM's exit) cuts the requests it is
 * serving and closes connections nginx may be writing onto: nginx answers those POSTs 502 (it does not retry a POST
 * it sent), and the test fails if every POST is answered 200, for then it could not see the race. With {@code drain=proxy} the server
 * refuses new connections (nginx passes them to the other), answers each request on a kept-alive one with
 * {@code Connection: close}, and the exit waits until nginx has let every connection go: no 502. The exit is held
 * no longer than the drain.
 */
class DrainRaceTest {
    static final int NGINX_KEEPALIVE_S = 3;
    static final String AGENT = "proxy=" + NGINX_KEEPALIVE_S + "s,drain=proxy";
    /** proxy + margin (5 s) */
    static final long DRAIN_MS = 8000;
    static final int CLIENTS = 16;
    static final long BEFORE_STOP_MS = 1500;
    static final long AFTER_EXIT_MS = 500;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        // each family's first line without the agent and at start; attached, Jetty and Tomcat (the exit hook an attach
        // registers is the same for all); Jetty 9.4, whose shutdown differs from 10-12; the others' second lines share
        // their first's code (checked with javap) and are left to their family suites
        List<String> first = List.of("jetty-12.0", "tomcat-10.1", "jdk-httpserver", "undertow-2.3");
        List<String> attached = List.of("jetty-12.0", "tomcat-10.1");
        // Spring Boot stops its server from its own exit hook, gracefully by default (3.4+), before the agent's exit
        // drain would: its graceful shutdown is where each family's drain must come first (without the agent it lost
        // 1 POST in a run, too few to prove anything)
        for (String app : List.of("jetty-12.0", "jetty-9.4", "tomcat-10.1", "jdk-httpserver", "undertow-2.3",
                "spring-boot-tomcat", "spring-boot-jetty", "spring-boot-undertow")) {
            String[] modes = attached.contains(app) ? new String[] {"no agent", "-javaagent", "attached"}
                    : first.contains(app) ? new String[] {"no agent", "-javaagent"} : new String[] {"-javaagent"};
            for (String mode : modes) {
                out.add(Arguments.of(app, mode));
            }
        }
        // the JDK's server is the JDK's own (its stop changed by 25)
        out.add(Arguments.of("jdk-httpserver", "-javaagent, Java 25"));
        return out.stream().filter(Jdk::selected);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void rollingStop(String app, String mode) throws Exception {
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(Nginx.available(), "nginx not found at " + Nginx.BINARY);
        }
        Assumptions.assumeTrue(Nginx.available(), "nginx is installed by scripts/setup.sh");
        String agent = mode.startsWith("-javaagent") ? AGENT : null;
        Jdk jdk = mode.endsWith("Java 25") ? Jdk.JDK25 : Jdk.forApp(app);
        try (ServerProcess stopped = ServerProcess.start(jdk, app, agent);
             ServerProcess other = ServerProcess.start(jdk, app, agent);
             // a pool as large as the clients, as a load balancer's: connections reused, not opened per request, so
             // that few connects meet the stopping server's closing listener (one in its backlog then is reset)
             Nginx nginx = new Nginx(new int[] {stopped.port, other.port}, NGINX_KEEPALIVE_S, 2 * CLIENTS, 1, "http")) {
            if (mode.equals("attached")) {
                stopped.attach(AGENT);
                other.attach(AGENT);
            }
            AtomicBoolean going = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            long exitMs;
            RaceTest.Traffic c;
            try {
                List<Future<RaceTest.Traffic>> loops = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    loops.add(clients.submit(() -> loop(nginx.port, going)));
                }
                Thread.sleep(BEFORE_STOP_MS);
                long term = System.nanoTime();
                // SIGTERM; Process.destroy() would also close the pipes, and the output after it would be lost
                stopped.process.toHandle().destroy();
                assertTrue(stopped.process.waitFor(DRAIN_MS + 10_000, TimeUnit.MILLISECONDS), "no exit after SIGTERM");
                exitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - term);
                Thread.sleep(AFTER_EXIT_MS);
                going.set(false);
                c = RaceTest.sum(loops);
            } finally {
                going.set(false);
                clients.shutdownNow();
            }
            System.out.println("drain " + app + ", " + mode + ": " + c.requests() + " POSTs through nginx, "
                    + c.badGateway() + " answered 502, the stopped server's exit " + exitMs + " ms after SIGTERM"
                    + (c.other().isEmpty() ? "" : ", other: " + c.other()));
            assertTrue(c.requests() > 100, "too little traffic to see anything: " + c.requests());
            if (agent == null && !mode.equals("attached")) {
                assertTrue(c.requests() > c.ok(), "every POST answered 200 by a stop without the drain: the test cannot"
                        + " see the race\n" + nginx.log());
                return;
            }
            assertEquals(0, c.badGateway(), "502s with the drain\n" + nginx.log() + "\n--- stopped server:\n"
                    + stopped.output());
            assertEquals(c.requests(), c.ok(), "answers other than 200: " + c.other());
            String out = stopped.output();
            assertTrue(out.contains("stopping: draining") && out.contains(" drained ("), out);
            assertTrue(exitMs < DRAIN_MS + 3000, "the exit was held past the drain: " + exitMs + " ms");
        }
    }

    /**
     * The server's own stop (the application calls {@code server.stop()}) held by a drain of 6 s, measured from outside:
     * a request on a kept-alive connection is answered with {@code Connection: close}; a connection its peer closes is
     * let go ({@code peer}); one left idle is closed at the drain's end ({@code drain}, with its idle); {@code status}
     * shows the stop and what is left meanwhile; the stop returns at the drain's end, not before, not long after.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty-12.0", "tomcat-10.1", "jdk-httpserver", "undertow-2.3"})
    void theServersOwnStopWaitsForTheDrainAndSaysWhatIsLeft(String app) throws Exception {
        String family = app.substring(0, app.indexOf('-'));
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, "idle=10s,drain=6s");
             Socket served = new Socket(InetAddress.getLoopbackAddress(), server.port);
             Socket letGo = new Socket(InetAddress.getLoopbackAddress(), server.port);
             Socket idle = new Socket(InetAddress.getLoopbackAddress(), server.port)) {
            for (Socket s : List.of(served, letGo, idle)) {
                s.setSoTimeout(10_000);
                assertTrue(get(s).startsWith("HTTP/1.1 200"));
            }
            String mbean = "io.outlast:type=Endpoint,server=" + family + ",port=" + server.port;
            assertEquals("6000", mbean(server, mbean, "DrainMs"));
            assertEquals("false", mbean(server, mbean, "Stopping"));
            int mark = server.mark();
            long stop = System.nanoTime();
            server.send("stop");
            server.await(mark, l -> l.contains(family + " stopping: draining 3 open connections"), Duration.ofSeconds(5));
            String response = get(served);
            assertTrue(response.startsWith("HTTP/1.1 200") && response.contains("Connection: close"), response);
            assertEquals(-1, served.getInputStream().read(), "the connection answered with Connection: close stays open");
            served.close();
            letGo.close();
            assertEquals("drain", server.closeEvent(served.getLocalPort(), mark).get("closer"));
            assertEquals("peer", server.closeEvent(letGo.getLocalPort(), mark).get("closer"));
            // the status is published as it changes, and at least every 2 s during a drain
            String status = "";
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); System.nanoTime() < end
                    && !status.contains("stopping: draining, 1 connections left"); ) {
                status = ServerProcess.cli(Jdk.JDK17, "status", Long.toString(server.process.pid())).output();
            }
            assertTrue(status.contains("stopping: draining, 1 connections left, the rest closed in"), status);
            assertTrue(status.contains("(drain 6s)"), status);
            Map<String, String> left = server.closeEvent(idle.getLocalPort(), mark);
            assertEquals("drain", left.get("closer"));
            assertTrue(Long.parseLong(left.get("idle_ms")) >= 5900, left.toString());
            assertEquals(-1, idle.getInputStream().read());
            assertTrue(server.process.waitFor(5, TimeUnit.SECONDS), "the stop did not return");
            long stoppedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stop);
            assertTrue(stoppedMs >= 5900 && stoppedMs < 8000, "stopped " + stoppedMs + " ms after it began");
        }
    }

    /** An attribute of an MBean in the app, once it is registered (JMX's first use can take a second or two). */
    private static String mbean(ServerProcess server, String name, String attribute) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            int mark = server.mark();
            server.send("mbean " + name + " " + attribute);
            String line = server.await(mark, l -> l.startsWith("MBEAN " + name + " " + attribute + " "),
                    Duration.ofSeconds(10));
            String value = line.substring(("MBEAN " + name + " " + attribute + " ").length());
            if (!value.startsWith("ERROR javax.management.InstanceNotFoundException") || System.nanoTime() > end) {
                return value;
            }
            Thread.sleep(100);
        }
    }

    private static String get(Socket s) throws IOException {
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: drain\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("ok\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed after: " + b);
            }
            b.append((char) c);
        }
        return b.toString();
    }

    /** One client's kept-alive connection to nginx, POSTing with short gaps while {@code going}. */
    private static RaceTest.Traffic loop(int port, AtomicBoolean going) throws Exception {
        try (RaceTest.Client c = new RaceTest.Client(port, "/p0/orders", false)) {
            while (going.get()) {
                Thread.sleep(ThreadLocalRandom.current().nextLong(0, 20));
                c.post();
            }
            return c.traffic();
        }
    }
}
