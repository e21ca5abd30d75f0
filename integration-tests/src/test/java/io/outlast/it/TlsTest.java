package io.outlast.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TLS between the proxy and the server (an HTTPS target group, a mesh): the same measurements as over plain
 * text, the connection's handshake done before it counts as open for a request (as a proxy's pool has it).
 */
class TlsTest {
    static Stream<Arguments> apps() {
        return Stream.of(
                Arguments.of("jetty-9.4@tls", Family.JETTY),
                Arguments.of("jetty-10.0@tls", Family.JETTY),
                Arguments.of("jetty-11.0@tls", Family.JETTY),
                Arguments.of("jetty-12.0@tls", Family.JETTY),
                Arguments.of("jetty-12.1@tls", Family.JETTY),
                Arguments.of("tomcat-9.0@tls", Family.TOMCAT),
                Arguments.of("tomcat-9.0@nio2@tls", Family.TOMCAT),
                Arguments.of("tomcat-10.1@tls", Family.TOMCAT),
                Arguments.of("tomcat-11.0@tls", Family.TOMCAT),
                Arguments.of("tomcat-10.1@nio2@tls", Family.TOMCAT),
                Arguments.of("netty-4.1@tls", Family.NETTY),
                Arguments.of("netty-4.2@tls", Family.NETTY),
                Arguments.of("undertow-2.2@tls", Family.UNDERTOW),
                Arguments.of("undertow-2.3@tls", Family.UNDERTOW),
                // HTTP/2 enabled: ALPN holds the connection until its handshake ends (WildFly's HTTPS listener as it ships)
                Arguments.of("undertow-2.3@h2@tls", Family.UNDERTOW),
                Arguments.of("wildfly@tls", Family.UNDERTOW),
                Arguments.of("jdk-httpserver@tls", Family.JDK),
                Arguments.of("reactor-netty-1.1@tls", Family.NETTY),
                Arguments.of("reactor-netty-1.2@tls", Family.NETTY),
                Arguments.of("vertx-4.5@tls", Family.NETTY),
                Arguments.of("vertx-5.0@tls", Family.NETTY),
                Arguments.of("quarkus-3@tls", Family.NETTY),
                Arguments.of("armeria-1.x@tls", Family.NETTY),
                Arguments.of("helidon-4@tls", Family.HELIDON),
                Arguments.of("grizzly-4@tls", Family.GRIZZLY),
                Arguments.of("pekko-http-1.x@tls", Family.PEKKO),
                Arguments.of("akka-http-10.2@tls", Family.AKKA),
                Arguments.of("openliberty@tls", Family.LIBERTY));
    }

    static Stream<Arguments> appsOnJdks() {
        return Jdk.onJdks(apps(), Set.of("jetty-12.1@tls", "tomcat-11.0@tls", "netty-4.2@tls", "undertow-2.3@tls",
                "jdk-httpserver@tls", "reactor-netty-1.2@tls", "vertx-5.0@tls", "armeria-1.x@tls", "grizzly-4@tls",
                "pekko-http-1.x@tls"));
    }

    /**
     * Attached over TLS: each family's newest line in each shape (NIO2, ALPN), and WildFly's listener. Every line is
     * attached over plain text in its family's suite, and served over TLS here at start.
     */
    static Stream<Arguments> attachedApps() {
        return Jdk.only(apps(), Set.of("jetty-12.1@tls", "tomcat-11.0@tls", "tomcat-10.1@nio2@tls", "netty-4.2@tls",
                "undertow-2.3@tls", "undertow-2.3@h2@tls", "wildfly@tls", "jdk-httpserver@tls", "reactor-netty-1.2@tls",
                "vertx-5.0@tls", "armeria-1.x@tls", "helidon-4@tls", "grizzly-4@tls", "pekko-http-1.x@tls", "openliberty@tls"));
    }

    @ParameterizedTest(name = "{0} on {2}, -javaagent")
    @MethodSource("appsOnJdks")
    void premain(String app, Family family, Jdk jdk) throws Exception {
        try (ServerProcess server = ServerProcess.start(jdk, app, "idle=2s,header=3s")) {
            Measurements.run(server, family, 2000, 3000);
        }
    }

    /** Attached to a running TLS server: its connector's timeouts and its connections' change as over plain text. */
    @ParameterizedTest(name = "{0} on JDK 17, attached")
    @MethodSource("attachedApps")
    void attach(String app, Family family) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.forApp(app), app, null)) {
            server.attach("idle=3s", "header=2s");
            Measurements.run(server, family, 3000, 2000);
        }
    }

    /**
     * Once per way a server reads a handshake's state (each family's oldest and newest line, NIO2, ALPN, a framework
     * that adds its codec after the handshake; Reactor Netty reads it as Netty does), and on JDK 25 once per family.
     * Every line is served over TLS at start above.
     */
    static Stream<Arguments> handshakeReadersOnJdks() {
        return Jdk.onJdks(Jdk.only(apps(), Set.of("jetty-9.4@tls", "jetty-12.1@tls", "tomcat-9.0@tls", "tomcat-11.0@tls",
                        "tomcat-10.1@nio2@tls", "netty-4.1@tls", "netty-4.2@tls", "vertx-5.0@tls", "armeria-1.x@tls",
                        "undertow-2.2@tls", "undertow-2.3@h2@tls", "wildfly@tls", "jdk-httpserver@tls", "helidon-4@tls",
                        "grizzly-4@tls", "pekko-http-1.x@tls", "openliberty@tls")),
                Set.of("jetty-12.1@tls", "tomcat-11.0@tls", "netty-4.2@tls", "undertow-2.3@h2@tls", "jdk-httpserver@tls",
                        "grizzly-4@tls", "pekko-http-1.x@tls"));
    }

    /**
     * A handshake begun and never finished (a ClientHello's record header, then nothing): a slow-loris too. It
     * is closed by the header deadline, as a request's header would be. On a server that has served a request:
     * Vert.x adds its HTTP codec after the handshake, and a Netty server is known to serve HTTP from its first
     * request (docs/netty.md).
     */
    @ParameterizedTest(name = "{0} on {2}, a handshake that never finishes")
    @MethodSource("handshakeReadersOnJdks")
    void aStalledHandshakeIsAHeaderThatStopsArriving(String app, Family family, Jdk jdk) throws Exception {
        try (ServerProcess server = ServerProcess.start(jdk, app, "idle=3s,header=2s")) {
            try (Probe served = Probe.to(server)) {
                served.request(true);
            }
            try (Probe raw = new Probe(server.port)) {
                int mark = server.mark();
                // a handshake record of 512 bytes announced, 4 of them sent (plain TCP: the probe speaks no TLS)
                raw.send("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001");
                long closedMs = raw.closedAfter(System.nanoTime(), 8000);
                Measurements.assertTiming("handshake that stops arriving", closedMs, 2000, Measurements.HEADER_LATE_MS, server);
                Map<String, String> event = server.closeEvent(raw.localPort(), mark);
                assertEquals("server-header", event.get("closer"), event.toString());
            }
        }
    }
}
