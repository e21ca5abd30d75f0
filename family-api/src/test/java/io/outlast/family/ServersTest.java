package io.outlast.family;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The skeleton every family's servers go through: met once, what is kept, re-applied on a change. */
class ServersTest {
    private final TestFamilyContext context = new TestFamilyContext(2000, 3000);
    private final List<String> calls = new ArrayList<>();

    /** A family that keeps a server's "own timeout" (its name's length) and records what it is asked to do. */
    private final Servers.Family<Long> family = new Servers.Family<Long>() {
        @Override
        public Long meet(Object server) {
            calls.add("meet " + server);
            return server.equals("untouched") ? null : (long) server.toString().length();
        }

        @Override
        public void met(Object server, Long kept) {
            calls.add("met " + server + " " + kept);
        }

        @Override
        public void reapply(Object server, Long kept) {
            calls.add("reapply " + server + " " + kept);
            if (server.equals("failing")) {
                throw new IllegalStateException("simulated");
            }
        }
    };

    private final Servers<Long> servers = new Servers<>(context.tracker("test"), family);

    @Test
    void aServerIsMetOnceAndWhatIsKeptOfItReturnsEachTime() throws Exception {
        String server = "connector";
        assertEquals(9L, servers.adopt(server));
        assertEquals(9L, servers.adopt(server));
        assertEquals(Arrays.asList("meet connector", "met connector 9"), calls);
    }

    @Test
    void aServerLeftUntouchedIsNotMetAgainNorReapplied() throws Exception {
        assertNull(servers.adopt("untouched"));
        assertNull(servers.adopt("untouched"));
        servers.reconfigured();
        assertEquals(Arrays.asList("meet untouched"), calls);
    }

    @Test
    void aChangeReachesEveryServerWithWhatWasKeptEvenPastOneThatFails() throws Exception {
        servers.adopt("failing");
        servers.adopt("other");
        calls.clear();
        servers.reconfigured();
        assertEquals(Arrays.asList("reapply failing 7", "reapply other 5"), calls);
        assertEquals(1, context.warnings.size(), "said once: " + context.warnings);
        assertTrue(context.warnings.get(0).contains("simulated"), context.warnings.toString());
    }

    @Test
    void aServerThatIsGoneIsLetGo() throws Exception {
        Object server = new Object() {
            @Override
            public String toString() {
                return "gone";
            }
        };
        servers.adopt(server);
        server = null;
        List<Object> seen = new ArrayList<>();
        for (int i = 0; i < 50 && (i == 0 || !seen.isEmpty()); i++) {
            System.gc();
            seen.clear();
            servers.forEach((s, kept) -> seen.add(s));
        }
        assertEquals(Collections.emptyList(), seen);
    }

    @Test
    void theTrackerHandsTheFamilysReportToTheContext() {
        ConnectionTracker tracker = context.tracker("test");
        EndpointReport report = new EndpointReport("test", "1.0", "connector", "127.0.0.1:1", 30000, 2000, -1, 3000);
        tracker.report(report);
        assertSame(report, context.reports.get(0));
        assertEquals(2000, tracker.timeouts().idleMs);
    }
}
