package io.outlast.it;

import org.junit.jupiter.params.provider.Arguments;

import java.util.List;
import java.util.stream.Stream;

/** Apache Pekko HTTP's server (HTTP/1.1), on JDK 17 and 25. Akka HTTP 10.2's in {@link AkkaTest}. */
class PekkoTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("pekko-http-1.x");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
    }

    @Override
    Family family() {
        return Family.PEKKO;
    }
}
