package io.outlast.it;

import org.junit.jupiter.params.provider.Arguments;

import java.util.List;
import java.util.stream.Stream;

/** Every maintained Jetty line. */
class JettyTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("jetty-9.4", "jetty-10.0", "jetty-11.0", "jetty-12.0", "jetty-12.1");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
    }

    @Override
    Family family() {
        return Family.JETTY;
    }
}
