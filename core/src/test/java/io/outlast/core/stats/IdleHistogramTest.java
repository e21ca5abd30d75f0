package io.outlast.core.stats;

import io.outlast.bootstrap.CloseEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleHistogramTest {
    @Test
    void everyValueFallsInABucketThatHoldsIt() {
        for (long v : new long[] {0, 1, 15, 16, 17, 31, 32, 100, 999, 1000, 65_000, 3_600_000, Long.MAX_VALUE / 2}) {
            int b = IdleHistogram.bucket(v);
            assertTrue(IdleHistogram.upper(b) >= v, v + " above its bucket's upper bound " + IdleHistogram.upper(b));
            assertTrue(b == 0 || IdleHistogram.upper(b - 1) < v, v + " fits the bucket below");
        }
    }

    @Test
    void percentilesWithinASixtyFourth() {
        IdleHistogram h = new IdleHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v);
        }
        assertEquals(100_000, h.count());
        assertBetween(50_000, 50_000 * 65 / 64, h.percentile(0.5));
        assertBetween(90_000, 90_000 * 65 / 64, h.percentile(0.9));
        assertBetween(99_000, 99_000 * 65 / 64, h.percentile(0.99));
        assertEquals(-1, new IdleHistogram().percentile(0.5));
    }

    @Test
    void aPercentileNeverExceedsTheMax() {
        // seen: p90/p99 65535 ms against a max of 65004 ms, the bucket's upper bound shown as a value
        IdleHistogram h = new IdleHistogram();
        for (int i = 0; i < 10; i++) {
            h.record(64_990 + i);
        }
        h.record(65_004);
        assertEquals(65_004, h.max());
        assertEquals(65_004, h.percentile(0.99));
        assertBetween(64_990, 65_004, h.percentile(0.5));
    }

    @Test
    void statsCountByCloserAndPossible502s() {
        Stats stats = new Stats(() -> 60_000);
        stats.record(event("10.0.0.5:8080", CloseEvent.SERVER_IDLE, 30_000));
        stats.record(event("10.0.0.6:8080", CloseEvent.SERVER_IDLE, 65_000));
        stats.record(event("10.0.0.5:8080", CloseEvent.PEER, 59_000));
        stats.record(event("10.0.0.5:9090", CloseEvent.PEER, 1));
        assertEquals(2, stats.endpoints().size());
        EndpointStats s = stats.endpoints().get(0);
        assertEquals(8080, s.port);
        assertEquals(3, s.closes());
        assertEquals(2, (long) s.closesByCloser().get(CloseEvent.SERVER_IDLE));
        assertEquals(1, s.idleClosesBeforeProxy());
        assertEquals(65_000, s.maxIdleMs());
    }

    private static CloseEvent event(String local, String closer, long idleMs) {
        return new CloseEvent(0, "jetty", local, "10.0.1.7:4000", closer, idleMs, 1, idleMs + 10);
    }

    private static void assertBetween(long low, long high, long value) {
        assertTrue(value >= low && value <= high, value + " not in [" + low + ", " + high + "]");
    }
}
