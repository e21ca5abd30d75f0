package io.outlast.family;

import org.junit.jupiter.api.Test;

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
}
