package io.outlast.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenTelemetry Java agent and outlast in one JVM, as production runs an APM agent: both at start in either
 * order, and outlast attached to a JVM running OpenTelemetry. On Tomcat, Jetty and Reactor Netty (OpenTelemetry
 * instruments the same Netty pipeline): outlast's timeouts in force (the same outside-in measurements), the
 * application answering, OpenTelemetry's server spans still produced (its logging exporter), no error from
 * either agent.
 */
class OpenTelemetryTest {
    static final Path OTEL_AGENT = Path.of(System.getProperty("outlast.otel.agent.jar",
            "target/otel/opentelemetry-javaagent.jar")).toAbsolutePath();

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Object[] app : new Object[][] {{"tomcat-10.1", Family.TOMCAT}, {"jetty-12.0", Family.JETTY},
                {"reactor-netty-1.2", Family.NETTY}}) {
            for (String order : new String[] {"OpenTelemetry first", "outlast first", "outlast attached"}) {
                out.add(Arguments.of(app[0], app[1], order));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, {2}")
    @MethodSource("cases")
    void bothAgentsDoTheirWork(String app, Family family, String order) throws Exception {
        assertTrue(Files.isRegularFile(OTEL_AGENT), "the OpenTelemetry agent is copied by the build: " + OTEL_AGENT);
        List<String> jvm = new ArrayList<>(List.of("-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none", "-Dotel.service.name=outlast-test"));
        String outlast = "-javaagent:" + ServerProcess.AGENT_JAR + "=idle=2s,header=3s";
        String otel = "-javaagent:" + OTEL_AGENT;
        switch (order) {
            case "OpenTelemetry first" -> jvm.addAll(List.of(otel, outlast));
            case "outlast first" -> jvm.addAll(List.of(outlast, otel));
            default -> jvm.add(otel);
        }
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, null, jvm.toArray(new String[0]))) {
            long idleMs = 2000;
            long headerMs = 3000;
            if (order.equals("outlast attached")) {
                server.attach("idle=3s", "header=2s");
                idleMs = 3000;
                headerMs = 2000;
            } else {
                server.awaitNanos(l -> l.startsWith("outlast: started"), Duration.ofSeconds(30));
            }
            try (Probe p = Probe.to(server)) {
                assertTrue(p.request(true).contains("ok"));
            }
            Measurements.run(server, family, idleMs, headerMs);
            // the logging exporter's line for a server span: "'GET /' : <trace> <span> SERVER [tracer: ...]"
            server.awaitNanos(l -> l.contains(" SERVER [tracer: "), Duration.ofSeconds(15));
            String output = server.output();
            assertFalse(output.lines().anyMatch(l -> l.contains("outlast: warning") || l.contains("outlast: error")),
                    "outlast complained:\n" + output);
            assertFalse(output.lines().anyMatch(l -> l.startsWith("[otel.javaagent") && (l.contains(" ERROR ")
                    || l.contains(" WARN "))), "OpenTelemetry complained:\n" + output);
        }
    }
}
