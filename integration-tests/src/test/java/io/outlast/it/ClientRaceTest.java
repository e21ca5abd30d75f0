package io.outlast.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The race from the other side of the hop: a JVM that pools connections to an upstream (a gateway, a service calling
 * others) reuses one the upstream has just closed, and the request fails. A real upstream (Undertow) keeps idle
 * connections 2 s; a relay delays everything 50 ms each way, as a network does. A client test-app sends POSTs (not
 * retried) from several pools at once, after idle gaps around the upstream's idle. Without the agent some must fail
 * with the client's own exception (the test can fail); with the agent told the upstream's idle ({@code upstream=2s}),
 * at start or attached, none do, and the pools retire connections themselves ({@code closer=client-idle}). With the
 * agent and nothing set, the client keeps its own behaviour: the requests still fail, and each is logged and counted
 * in {@code status} as the race. With an upstream that announces its idle ({@code Keep-Alive: timeout=2}) and nothing
 * set, the pools retire connections before it: none fail. Each family's first line is cured at start over TLS (the
 * upstream serving it, the client trusting its key as the JDK's default), its hooks then on a TLS connection's objects.
 * And a request's own wait is never cut by the pooled limit.
 */
class ClientRaceTest {
    static final String UPSTREAM = "undertow-2.3";
    static final long UPSTREAM_IDLE_MS = 2000;
    static final long RELAY_DELAY_MS = 50;
    static final int LOOPS = 8;
    static final int REQUESTS_PER_LOOP = 6;

    /** Each client family's test-app, its JDK, the exception its race shows as, and the one of a reset. */
    static Stream<Arguments> cases() {
        Object[][] clients = {{"reactor-netty-1.1", Jdk.JDK17, "PrematureCloseException", "NativeIoException"},
                {"reactor-netty-1.2", Jdk.JDK17, "PrematureCloseException", "NativeIoException"},
                {"reactor-netty-1.2", Jdk.JDK25, "PrematureCloseException", "NativeIoException"},
                // HttpClient 5 classic: a request written onto the closed connection, answered by nothing
                {"httpcore-5", Jdk.JDK17, "NoHttpResponseException", "SocketException"},
                {"httpcore-5", Jdk.JDK25, "NoHttpResponseException", "SocketException"},
                // HttpClient 4.5 in the same test-app
                {"httpcore-5+httpclient4", Jdk.JDK17, "NoHttpResponseException", "SocketException"},
                {"httpcore-5+httpclient4", Jdk.JDK25, "NoHttpResponseException", "SocketException"},
                // OkHttp 4 (retry off: on, it sends the POST again), "unexpected end of stream"
                {"httpcore-5+okhttp", Jdk.JDK17, "IOException", "SocketException"},
                {"httpcore-5+okhttp", Jdk.JDK25, "IOException", "SocketException"},
                // OkHttp 5: the same app on it
                {"okhttp-5+okhttp", Jdk.JDK17, "IOException", "SocketException"},
                {"okhttp-5+okhttp", Jdk.JDK25, "IOException", "SocketException"},
                // the JDK's HttpClient ("HTTP/1.1 header parser received no bytes"), in the JDK server's test-app
                {"jdk-httpserver", Jdk.JDK17, "IOException", "SocketException"},
                {"jdk-httpserver", Jdk.JDK25, "IOException", "SocketException"},
                // Jetty's HttpClient 12 and 10, in the Jetty servers' test-apps: an end of stream under the exchange
                {"jetty-12.0", Jdk.JDK17, "EOFException", "IOException"},
                {"jetty-12.0", Jdk.JDK25, "EOFException", "IOException"},
                {"jetty-10.0", Jdk.JDK17, "EOFException", "IOException"},
                // Vert.x's WebClient 5.0 and 4.5 (its HttpClient's pool), in the Vert.x servers' test-apps
                {"vertx-5.0", Jdk.JDK17, "HttpClosedException", "SocketException"},
                {"vertx-5.0", Jdk.JDK25, "HttpClosedException", "SocketException"},
                {"vertx-4.5", Jdk.JDK17, "HttpClosedException", "SocketException"}};
        // a family's second line: the race and its cure at start; the attach and the settings' variations are its first's
        // (the same advice: what an attach adds is the retransform, proven on each family's first line)
        List<String> secondLines = List.of("reactor-netty-1.1", "okhttp-5+okhttp", "jetty-10.0", "vertx-4.5");
        List<Arguments> out = new ArrayList<>();
        for (Object[] c : clients) {
            for (String mode : new String[] {"no agent", "-javaagent", "attached", "nothing set", "announced"}) {
                if ((c[1] == Jdk.JDK25 || secondLines.contains(c[0]))
                        && (mode.equals("nothing set") || mode.equals("announced") || mode.equals("attached"))
                        || c[1] == Jdk.JDK25 && !mode.equals("-javaagent")) {
                    continue;
                }
                // a first line's cure at start is proven over TLS (its hooks on a TLS connection's objects); attached,
                // announced and on JDK 25 in plain text
                boolean overTls = mode.equals("-javaagent") && c[1] == Jdk.JDK17 && !secondLines.contains(c[0]);
                out.add(Arguments.of(c[0], c[1], overTls ? "-javaagent, TLS" : mode, c[2], c[3]));
            }
        }
        return out.stream().filter(Jdk::selected);
    }

    /** A row's client "APP+CLIENT": the test-app's switch to that client of its two. */
    static String[] clientArgs(String client) {
        int plus = client.indexOf('+');
        return plus < 0 ? new String[0] : new String[] {"-Dapp.client=" + client.substring(plus + 1)};
    }

    /** The client's arguments for an upstream that serves TLS with the tests' key, which it trusts as the JDK's default. */
    static String[] tlsClientArgs(String app) throws java.io.IOException {
        List<String> args = new ArrayList<>(List.of(clientArgs(app)));
        args.addAll(List.of("-Dapp.upstream.tls=true", "-Djavax.net.ssl.trustStore=" + TlsKeys.keyStore(),
                "-Djavax.net.ssl.trustStorePassword=" + TlsKeys.PASSWORD, "-Djavax.net.ssl.trustStoreType=PKCS12"));
        return args.toArray(new String[0]);
    }

    /** The client family a test-app's client is of. */
    static String family(String app) {
        return app.startsWith("reactor-netty") ? "reactor-netty" : app.endsWith("+okhttp") ? "okhttp"
                : app.startsWith("jdk-httpserver") ? "jdk-httpclient" : app.startsWith("jetty-") ? "jetty-httpclient"
                : app.startsWith("vertx-") ? "vertx-httpclient" : "apache-httpclient";
    }

    @ParameterizedTest(name = "{0} on {1}, {2}")
    @MethodSource("cases")
    void race(String app, Jdk jdk, String mode, String failure, String reset) throws Exception {
        String family = family(app);
        boolean tls = mode.endsWith("TLS");
        String agent = mode.startsWith("-javaagent") ? "upstream=" + UPSTREAM_IDLE_MS + "ms"
                : mode.equals("nothing set") || mode.equals("announced") ? "" : null;
        String idle = "-Dapp.idle=" + UPSTREAM_IDLE_MS;
        String[] upstreamArgs = mode.equals("announced")
                ? new String[] {idle, "-Dapp.keepAlive=timeout=" + UPSTREAM_IDLE_MS / 1000} : new String[] {idle};
        try (ServerProcess upstream = ServerProcess.start(Jdk.JDK17, UPSTREAM + (tls ? "@tls" : ""), null, upstreamArgs);
             DelayingRelay relay = new DelayingRelay(upstream.port, RELAY_DELAY_MS);
             ServerProcess client = ServerProcess.start(jdk, app.split("\\+")[0], agent,
                     tls ? tlsClientArgs(app) : clientArgs(app))) {
            if (mode.equals("attached")) {
                client.attach("upstream=" + UPSTREAM_IDLE_MS + "ms");
            }
            // the race window is the gaps that end while the upstream's FIN is in flight: just below its idle
            long min = UPSTREAM_IDLE_MS - 2 * RELAY_DELAY_MS - 100;
            long max = UPSTREAM_IDLE_MS + 50;
            int mark = client.mark();
            client.send("traffic " + relay.port() + " " + LOOPS + " " + REQUESTS_PER_LOOP + " " + min + " " + max);
            Map<String, String> t = traffic(client.await(mark, l -> l.startsWith("TRAFFIC"), Duration.ofSeconds(90)));
            System.out.println("client race " + app + " on " + jdk + ", " + mode + ": " + t);
            assertEquals(LOOPS * REQUESTS_PER_LOOP, Integer.parseInt(t.get("requests")), t.toString());
            int failed = Integer.parseInt(t.get("failed"));
            if (mode.equals("no agent") || mode.equals("nothing set")) {
                assertTrue(failed > 0, "no request failed: the test cannot see the race " + t);
                // the race shows as the family's exception, or as a reset where the request reached a closed socket
                assertTrue(count(t.get("errors"), failure) > 0, "failed otherwise than by the race: " + t);
                assertEquals(failed, count(t.get("errors"), failure) + count(t.get("errors"), reset),
                        "failed otherwise than by the race: " + t);
            }
            if (mode.equals("nothing set")) {
                // each failure is the upstream's close of a reused connection under its request, logged and counted
                client.await(mark, l -> client.count(x -> x.contains("failed_after_idle_ms=")) >= failed,
                        Duration.ofSeconds(5));
                assertEquals(failed, client.count(l -> l.contains("close client=" + family)
                        && l.contains("closer=peer") && l.contains("failed_after_idle_ms=")), client.output());
                assertTrue(status(client, "requests failed on a connection reused after an idle gap: " + failed)
                        .contains("client " + family + " upstream 127.0.0.1:" + relay.port()));
            } else if (!mode.equals("no agent")) {
                assertEquals(0, Integer.parseInt(t.get("failed")), "requests failed with the agent: " + t + "\n"
                        + client.output());
                assertTrue(client.count(l -> l.contains("close client=" + family) && l.contains("closer=client-idle"))
                        > 0, "no connection retired by its pool\n" + client.output());
                assertEquals(0, client.count(l -> l.contains("failed_after_idle_ms=")), client.output());
                // the agent's predicate is kept in each pool's config, not wrapped anew at each ask
                assertEquals(0, client.count(l -> l.contains("could not be kept")), client.output());
                String status = status(client, "requests failed on a connection reused after an idle gap: 0");
                assertTrue(status.contains(mode.equals("announced")
                        ? "client pools: retire idle the pool's own (no upstream=)" : "client pools: retire idle 1s (upstream 2s)"),
                        status);
                assertTrue(status.contains("client " + family + " upstream 127.0.0.1:" + relay.port()), status);
            }
        }
    }

    /** Each client family's first line, on JDK 17. */
    static Stream<Arguments> firstLines() {
        return Stream.of("reactor-netty-1.2", "httpcore-5", "httpcore-5+httpclient4", "httpcore-5+okhttp", "jdk-httpserver",
                "jetty-12.0", "vertx-5.0").map(Arguments::of).filter(Jdk::selected);
    }

    /**
     * The limit is a pooled connection's idle, never a request's wait: with {@code upstream=2s} (retire at 1 s), requests
     * on a reused connection whose answers take 1.4 s (a relay that delays each way 700 ms) all succeed. Jetty's one
     * idle timeout bounds both; the agent shortens it only while the connection is in its pool.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("firstLines")
    void aRequestsWaitIsNotCutByThePooledLimit(String app) throws Exception {
        try (ServerProcess upstream = ServerProcess.start(Jdk.JDK17, UPSTREAM, null, "-Dapp.idle=" + UPSTREAM_IDLE_MS);
             DelayingRelay relay = new DelayingRelay(upstream.port, 700);
             ServerProcess client = ServerProcess.start(Jdk.JDK17, app.split("\\+")[0], "upstream=" + UPSTREAM_IDLE_MS + "ms",
                     clientArgs(app))) {
            int mark = client.mark();
            // one loop, its connection reused after gaps well below the limit
            client.send("traffic " + relay.port() + " 1 3 200 300");
            Map<String, String> t = traffic(client.await(mark, l -> l.startsWith("TRAFFIC"), Duration.ofSeconds(60)));
            System.out.println("slow answers " + app + ": " + t);
            assertEquals("0", t.get("failed"), t + "\n" + client.output());
            assertEquals(0, client.count(l -> l.contains("close client=") && l.contains("closer=error")), client.output());
        }
    }

    /** {@code status} once it says {@code expected} (the agent publishes it a second or so behind the closes). */
    private static String status(ServerProcess client, String expected) throws Exception {
        ServerProcess.CliResult r = null;
        for (int i = 0; i < 15 && (r == null || !r.output().contains(expected)); i++) {
            if (r != null) {
                Thread.sleep(300);
            }
            r = ServerProcess.cli(Jdk.JDK17, "status", Long.toString(client.process.pid()));
        }
        assertTrue(r.output().contains(expected), r.output());
        return r.output();
    }

    /** How many failures of this kind "X:8;Y:2;" counts. */
    private static int count(String errors, String kind) {
        for (String e : errors.split(";")) {
            if (e.startsWith(kind + ":")) {
                return Integer.parseInt(e.substring(kind.length() + 1));
            }
        }
        return 0;
    }

    /** "TRAFFIC requests=48 ok=40 failed=8 errors=X:8;" as a map. */
    private static Map<String, String> traffic(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : line.substring("TRAFFIC ".length()).split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }
}
