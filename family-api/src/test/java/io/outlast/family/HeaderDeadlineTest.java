package io.outlast.family;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The header deadline's own numbers: how often it looks, and how high it holds the server's read timeout. */
class HeaderDeadlineTest {
    @Test
    void itLooksATenthOfTheDeadlineApartWithin50To500Ms() {
        assertEquals(50, HeaderDeadline.sweepPeriodMs(100));
        assertEquals(300, HeaderDeadline.sweepPeriodMs(3000));
        assertEquals(500, HeaderDeadline.sweepPeriodMs(66_000));
    }

    @Test
    void theReadTimeoutIsHeldAboveTheDeadlineAndTwoLatePasses() {
        for (long header : new long[] {100, 3000, 66_000}) {
            long raised = HeaderDeadline.raisedMs(header);
            assertTrue(raised > header + 2 * HeaderDeadline.sweepPeriodMs(header), header + " -> " + raised);
        }
    }

    @Test
    void aWaitingConnectionWhoseNextHeaderIsTimedIsLeftUntilItCouldBeDue() {
        // the deadline, or the server's read timeout within a header where shorter, less two periods
        assertEquals(66_000 - 1000, HeaderDeadline.unwatchedMs(0, 66_000, 500));
        assertEquals(65_000 - 1000, HeaderDeadline.unwatchedMs(65_000, 66_000, 500));
        assertEquals(20_000 - 1000, HeaderDeadline.unwatchedMs(20_000, 66_000, 500));
        // untimed: every period; and nothing gained under a period
        assertEquals(0, HeaderDeadline.unwatchedMs(-1, 66_000, 500));
        assertEquals(0, HeaderDeadline.unwatchedMs(0, 100, 50));
    }

    @Test
    void theSweepLooksAgainAtOnceWhenUntimedOrTheSettingsChange() {
        TestFamilyContext context = new TestFamilyContext(65_000, 66_000);
        ConnectionTracker tracker = context.tracker("test", "1.");
        Phase phase = new Phase();
        HeaderDeadline<SweptConnectionState> deadline = new HeaderDeadline<>(tracker, phase);
        Object connection = new Object();
        tracker.registry().putIfAbsent(connection, new SweptConnectionState(null, "test", null, null, 0));

        phase.timedReadTimeoutMs = 65_000;
        deadline.sweep();
        deadline.sweep();
        assertEquals(1, phase.looks.get(), "timed: left for a minute after the first look");

        context.timeouts(65_000, 30_000);
        deadline.sweep();
        assertEquals(2, phase.looks.get(), "new settings: looked at again");

        phase.timedReadTimeoutMs = -1;
        context.timeouts(65_000, 66_000);
        deadline.sweep();
        deadline.sweep();
        assertEquals(4, phase.looks.get(), "untimed: looked at every period");
    }

    /** A server whose connection waits for a request, its next header timed or not as the test says. */
    private static final class Phase implements HeaderPhase<SweptConnectionState> {
        final AtomicInteger looks = new AtomicInteger();
        volatile long timedReadTimeoutMs;

        @Override
        public long headerStartNanos(Object connection, SweptConnectionState state) {
            looks.incrementAndGet();
            return NONE;
        }

        @Override
        public long timedHeaderReadTimeoutMs(Object connection, SweptConnectionState state) {
            return timedReadTimeoutMs;
        }

        @Override
        public long readTimeoutMs(Object connection, SweptConnectionState state) {
            return 65_000;
        }

        @Override
        public void setReadTimeoutMs(Object connection, SweptConnectionState state, long ms) {
        }

        @Override
        public void close(Object connection, SweptConnectionState state) {
        }
    }
}
