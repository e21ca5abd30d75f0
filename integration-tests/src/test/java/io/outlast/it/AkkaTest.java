package io.outlast.it;

import org.junit.jupiter.params.provider.Arguments;

import java.util.List;
import java.util.stream.Stream;

/** Akka HTTP 10.2's server on Akka 2.6 (the lines Pekko forked, under the Apache licence), on JDK 17 and 25. */
class AkkaTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("akka-http-10.2");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
    }

    @Override
    Family family() {
        return Family.AKKA;
    }
}
