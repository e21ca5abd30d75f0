package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.NettyConnectionState;
import io.outlast.family.TestFamilyContext;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Netty's timeouts as the sweep decides them from the counts the advice keeps: a stamp is late, never early;
 * a connection is due only by counts the sweep has stamped, so a request that arrived since keeps it.
 */
class NettyTimeoutsTest {
    private static final long IDLE_MS = 2000;
    private static final long HEADER_MS = 3000;

    private final TestFamilyContext context = new TestFamilyContext(IDLE_MS, HEADER_MS);
    private final NettyConnections connections = new NettyConnections(context.tracker("netty", "4.1."));
    private final NettyTimeouts timeouts = new NettyTimeouts(connections);

    private NettyConnectionState connection(long openedMillis) {
        return new NettyConnection(connections, null, null, "netty", null, null, openedMillis);
    }

    @Test
    void theSweepLooksATwentiethOfTheShorterTimeoutApartWithin50To900Ms() {
        assertEquals(100, NettyTimeouts.sweepPeriodMs(IDLE_MS, HEADER_MS));
        assertEquals(50, NettyTimeouts.sweepPeriodMs(500, -1));
        assertEquals(900, NettyTimeouts.sweepPeriodMs(65_000, 66_000));
        assertEquals(900, NettyTimeouts.sweepPeriodMs(-1, -1));
    }

    @Test
    void aConnectionWaitingPastIdleIsDueForAnIdleClose() {
        long now = System.currentTimeMillis();
        NettyConnectionState s = connection(now - IDLE_MS - 1);
        NettyTimeouts.stamp(s);
        assertEquals(CloseEvent.SERVER_IDLE, timeouts.due(s, System.nanoTime(), now));
        assertNull(timeouts.due(connection(now - IDLE_MS + 100), System.nanoTime(), now));
    }

    @Test
    void aWaitBeginsWhenTheSweepSeesItsResponseNeverBefore() {
        long opened = System.currentTimeMillis() - 10_000;
        NettyConnectionState s = connection(opened);
        s.decoded(true, true);
        s.responsesOut++;
        // a response the sweep has not stamped yet: the old wait does not count
        assertNull(timeouts.due(s, System.nanoTime(), System.currentTimeMillis()));
        long before = System.currentTimeMillis();
        NettyTimeouts.stamp(s);
        assertTrue(s.idleSinceMillis >= before, "stamped before the sweep saw the response");
        assertNull(timeouts.due(s, System.nanoTime(), System.currentTimeMillis()));
        assertEquals(CloseEvent.SERVER_IDLE, timeouts.due(s, System.nanoTime(), s.idleSinceMillis + IDLE_MS));
    }

    @Test
    void aRequestInProgressIsNeverIdle() {
        NettyConnectionState s = connection(System.currentTimeMillis() - 10_000);
        s.headerReads++;
        s.decoded(true, false);
        NettyTimeouts.stamp(s);
        assertNull(timeouts.due(s, System.nanoTime(), System.currentTimeMillis()));
    }

    @Test
    void aHeaderArrivingPastTheDeadlineIsDueForAHeaderClose() {
        NettyConnectionState s = connection(System.currentTimeMillis());
        s.headerReads++;
        NettyTimeouts.stamp(s);
        long start = s.headerStartNanos;
        assertTrue(start != 0, "a header arriving is stamped");
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(HEADER_MS);
        assertNull(timeouts.due(s, deadline - 1, System.currentTimeMillis()));
        assertEquals(CloseEvent.SERVER_HEADER, timeouts.due(s, deadline, System.currentTimeMillis()));
    }

    @Test
    void theNextHeaderIsNotTimedFromTheStampOfTheOneBefore() {
        NettyConnectionState s = connection(System.currentTimeMillis());
        s.headerReads++;
        NettyTimeouts.stamp(s);
        long deadline = s.headerStartNanos + TimeUnit.MILLISECONDS.toNanos(HEADER_MS);
        // that request completes, is answered, and the next one's header begins before the sweep comes again
        s.decoded(true, true);
        s.responsesOut++;
        s.headerReads++;
        assertNull(timeouts.due(s, deadline, System.currentTimeMillis()));
        NettyTimeouts.stamp(s);
        assertTrue(s.headerStartNanos >= deadline - TimeUnit.MILLISECONDS.toNanos(HEADER_MS));
    }

    @Test
    void anUpgradedConnectionIsTheApplicationsToTime() {
        NettyConnectionState s = connection(System.currentTimeMillis() - 10_000);
        ((NettyConnection) s).upgraded = true;
        assertNull(timeouts.due(s, System.nanoTime(), System.currentTimeMillis()));
    }

    @Test
    void withNoTimeoutsSetNothingIsDue() {
        context.timeouts(-1, -1);
        NettyConnectionState s = connection(System.currentTimeMillis() - 10_000);
        s.headerReads++;
        NettyTimeouts.stamp(s);
        assertNull(timeouts.due(s, System.nanoTime() + TimeUnit.HOURS.toNanos(1), System.currentTimeMillis()));
    }
}
