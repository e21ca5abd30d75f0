package io.outlast.it;

import org.junit.jupiter.params.provider.Arguments;

import java.util.List;
import java.util.stream.Stream;

/**
 * Open Liberty (its distribution, webProfile8, started in the app's JVM), its HTTP channel in OSGi bundles: the
 * bootstrap API is made visible to them by the agent (docs/liberty.md). On JDK 17 and 25.
 */
class LibertyTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("openliberty");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
    }

    @Override
    Family family() {
        return Family.LIBERTY;
    }

    /** Liberty gives each read its timeout as it is issued; the agent's applies from the next (docs/liberty.md). */
    @Override
    boolean armsEachWaitAsItBegins(String app) {
        return true;
    }
}
