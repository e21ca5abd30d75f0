package io.outlast.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Every maintained Jetty line, and the distributions and frameworks on it (Spring Boot, jetty-home, Dropwizard 4). */
class JettyTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("jetty-9.4", "jetty-10.0", "jetty-11.0", "jetty-12.0", "jetty-12.1", "spring-boot-jetty", "jetty-home",
                "dropwizard-4");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps(), Set.of("dropwizard-4"));
    }

    @ParameterizedTest(name = "{0}: a WebSocket keeps the application's idle through attach, re-attach, reset")
    @ValueSource(strings = {"jetty-12.0", "jetty-12.1"})
    void aWebSocketKeepsItsOwnIdle(String app) throws Exception {
        UpgradedConnections.assertKeepTheirOwnIdle(app);
    }

    @Override
    Family family() {
        return Family.JETTY;
    }
}
