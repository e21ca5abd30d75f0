package io.outlast.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /**
     * An HTTP/2 connection's read of frames is timed by the agent's idle, and one pending while a stream is served reads
     * on at its end: a stream served for longer than idle is answered, and the connection ends at idle after it.
     */
    @Test
    void anHttp2StreamLongerThanIdleIsAnswered() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "openliberty@h2", "idle=1s");
             H2Probe probe = new H2Probe(server)) {
            int mark = server.mark();
            probe.get("/slow/2500");
            H2Probe.Ended ended = probe.endedAfter(System.nanoTime(), 5000);
            Measurements.assertTiming("HTTP/2 idle after a long stream (its GOAWAY)", ended.goAwayMs(), 1000,
                    Family.LIBERTY.lateMs(), server);
            Map<String, String> event = server.closeEvent(probe.localPort(), mark);
            assertEquals("server-idle", event.get("closer"), event.toString());
            assertEquals("1", event.get("requests"), event.toString());
        }
    }

    /**
     * Liberty's timer looks at a read's timeout only when its selector wakes with no bytes for it: a head trickled a
     * byte every 300 ms, alone on the server, would be read on past the deadline. The agent's backstop cuts it.
     */
    @Test
    void aHeadTrickledToAQuietServerIsCutAtTheDeadline() throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, "openliberty", "header=2s");
             Probe probe = Probe.to(server)) {
            int mark = server.mark();
            long closedMs = probe.slowHeaderClosedAfter(300, 10_000);
            Measurements.assertTiming("header trickled to a quiet server", closedMs, 2000, Family.LIBERTY.headerLateMs(),
                    server);
            assertEquals("server-header", server.closeEvent(probe.localPort(), mark).get("closer"), server.output());
        }
    }

    /** Liberty gives each read its timeout as it is issued; the agent's applies from the next (docs/liberty.md). */
    @Override
    boolean armsEachWaitAsItBegins(String app) {
        return true;
    }
}
