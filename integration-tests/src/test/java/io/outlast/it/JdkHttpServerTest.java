package io.outlast.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** The JDK's built-in HTTP server (module jdk.httpserver, in the platform class loader), on JDK 17 and 25. */
class JdkHttpServerTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("jdk-httpserver");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
    }

    @Override
    Family family() {
        return Family.JDK;
    }

    /** Mid-header and mid-handler look the same in the server's state: the agent leaves both (docs/jdk-httpserver.md). */
    @Override
    boolean governsHeadersBegunBeforeTheAgent(String app) {
        return false;
    }

    /**
     * The server's own settings are system properties the application may set itself, before the server
     * reads them: the agent's must win all the same (the app sets 1 s here, the agent 3 s).
     */
    @Test
    void theAgentsIdleWinsOverTheApplicationsOwnProperties() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "jdk-httpserver", "idle=3s", "-Dapp.idle=1000");
             Probe probe = new Probe(server.port)) {
            probe.request(false);
            Measurements.assertTiming("idle the app set to 1 s itself", probe.closedAfter(System.nanoTime(), 8000),
                    3000, family().lateMs(), server);
        }
    }

    /** The agent reaches sun.net.httpserver through an opening to its own class loader, never to the application. */
    @ParameterizedTest(name = "package left closed to the application, {0}")
    @ValueSource(strings = {"premain", "attach"})
    void serverInternalsStayClosedToTheApplication(String mode) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "jdk-httpserver",
                mode.equals("premain") ? "idle=5s" : null)) {
            if (mode.equals("attach")) {
                server.attach("idle=5s");
            }
            try (Probe probe = new Probe(server.port)) {
                probe.request(false);
            }
            server.await(l -> l.startsWith("outlast: jdk "), Duration.ofSeconds(10));
            assertFalse(server.appCanAccess("sun.net.httpserver.ServerImpl"), "sun.net.httpserver opened to the app");
        }
    }
}
