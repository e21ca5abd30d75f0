package io.outlast.it;

import org.junit.jupiter.params.provider.Arguments;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Grizzly's HTTP server (GlassFish's HTTP layer, Jersey's grizzly2 container), on JDK 17 and 25. */
class GrizzlyTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("grizzly-4");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
    }

    @Override
    Family family() {
        return Family.GRIZZLY;
    }

    /**
     * Grizzly's idle runs from the last whole message: a header's bytes do not restart it (the codec keeps them until
     * the header is whole), so it ends a slow header too.
     */
    @Override
    boolean ownIdleEndsSlowHeaders(String app) {
        return true;
    }

    /** A header under way looks like a wait in Grizzly's idle filter: the agent leaves it (docs/grizzly.md). */
    @Override
    boolean governsHeadersBegunBeforeTheAgent(String app) {
        return false;
    }

    /**
     * A header's bytes do not restart Grizzly's idle: one begun late in a wait must still get its whole 3 s deadline,
     * not be cut by the wait's end (it was, before the agent held it): 100 ms before the end of a 2 s wait (held on its
     * first bytes), and 1.5 s before the end of a 4 s one (held by the sweep, which looks again before the wait ends).
     */
    @ParameterizedTest(name = "a header begun {1} ms into a {0} ms wait")
    @CsvSource({"2000, 1900", "4000, 2500"})
    void aHeaderBegunLateInTheWaitGetsItsWholeDeadline(long idleMs, long startMs) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "grizzly-4", "idle=" + idleMs + "ms,header=3s");
             Probe late = new Probe(server.port)) {
            int mark = server.mark();
            late.request(false);
            Thread.sleep(startMs);
            late.send("GET / HTTP/1.1\r\nHo");
            long headerStart = System.nanoTime();
            Measurements.assertTiming("header begun late in the wait", late.closedAfter(headerStart, 8000), 3000,
                    Measurements.HEADER_LATE_MS, server);
            Map<String, String> event = server.closeEvent(late.localPort(), mark);
            assertEquals("server-header", event.get("closer"), event.toString());
        }
    }
}
