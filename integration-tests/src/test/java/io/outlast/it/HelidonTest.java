package io.outlast.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Helidon 4's SE WebServer: its own blocking server, a virtual thread per connection. Helidon 4 needs Java 21: on
 * JDK 25 only.
 */
class HelidonTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("helidon-4");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
    }

    @Override
    Family family() {
        return Family.HELIDON;
    }

    /** Every connection on a virtual thread of its own, whatever the application says. */
    @Test
    void servesOnVirtualThreads() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK25, "helidon-4", "idle=5s"); Probe p = Probe.to(server)) {
            String response = p.request(false);
            assertTrue(response.toLowerCase().contains("x-virtual-thread: true"), response);
        }
    }

    /**
     * Helidon counts idle on a clock that ticks once a second, and closes where the count passes its timeout: at 1 s a
     * connection busy every 200 ms is cut now and then (a request at the end of one tick, the check just after the
     * next). Its own idle before the attach is 2.5 s here; the agent's 3 s still outlasts it.
     */
    @Override
    long ownIdleBeforeAttachMs(String app) {
        return 2500;
    }

    /** Helidon's own idle counts from the last request's start or end: a header that never completes ends by it too. */
    @Override
    boolean ownIdleEndsSlowHeaders(String app) {
        return true;
    }
}
