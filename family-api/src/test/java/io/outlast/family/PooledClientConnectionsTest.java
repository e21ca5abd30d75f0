package io.outlast.family;

import io.outlast.bootstrap.ClientPoolHooks;
import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.EventSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who closed a blocking client's pooled connection, told from the hooks its advice calls, in their order. */
class PooledClientConnectionsTest {
    private final TestFamilyContext context = new TestFamilyContext(-1, -1);
    private final List<CloseEvent> events = Collections.synchronizedList(new ArrayList<>());
    private PooledClientConnections hooks;

    @BeforeEach
    void capture() {
        EventSink.set(new EventSink() {
            @Override
            public void close(CloseEvent event) {
                events.add(event);
            }
        });
        AnnouncedIdles.forget();
        context.timeouts(new Timeouts(-1, -1, 1000, 5000));
        hooks = new PooledClientConnections(context.tracker("test-client"));
    }

    @AfterEach
    void release() {
        hooks.stop();
        EventSink.set(null);
    }

    @Test
    void theClientIdleIsPublishedForAdviceAndWithdrawnAtStop() {
        assertEquals(1000, ClientPoolHooks.clientIdleMs());
        assertEquals(1000, ClientPoolHooks.retireFloorMs());
        hooks.stop();
        assertEquals(-1, ClientPoolHooks.clientIdleMs());
    }

    @Test
    void aConnectionClosedIdleInItsPoolWasRetired() throws Exception {
        Object c = new Object();
        hooks.opened(c, null);
        hooks.requesting(c);
        hooks.passivated(c);
        Thread.sleep(20);
        hooks.closing(c, null);
        CloseEvent e = only();
        assertEquals(CloseEvent.CLIENT_IDLE, e.closer);
        assertEquals(1, e.requests);
        assertTrue(e.idleMs >= 20, "idle " + e.idleMs);
        assertEquals(-1, e.failedAfterIdleMs);
    }

    /** Jetty's one idle timeout: shortened while pooled, its own given back once, for the request that takes it. */
    @Test
    void anIdleTimeoutShortenedInThePoolIsGivenBackForTheNextRequest() {
        Object c = new Object();
        hooks.opened(c, null);
        hooks.requesting(c);
        hooks.passivated(c);
        assertEquals(1000, hooks.pooledIdleMs(c, 30000));
        hooks.requesting(c);
        assertEquals(30000, hooks.ownIdleMs(c));
        assertEquals(-1, hooks.ownIdleMs(c), "given back once");
        hooks.passivated(c);
        assertEquals(500, hooks.pooledIdleMs(c, 500), "shorter than the limit: its own kept");
        assertEquals(-1, hooks.ownIdleMs(c));
        assertEquals(1000, hooks.pooledIdleMs(c, 0), "none of its own: the limit");
        assertEquals(0, hooks.ownIdleMs(c));
    }

    /** The idle timeout's failure of a connection idle in its pool is its retirement, not a request's error. */
    @Test
    void aFailureWhileIdleInThePoolLeavesItsCloseToTell() {
        Object c = new Object();
        hooks.opened(c, null);
        hooks.requesting(c);
        hooks.passivated(c);
        hooks.failed(c, new java.util.concurrent.TimeoutException("Idle timeout 1000 ms"));
        hooks.closing(c, null);
        assertEquals(CloseEvent.CLIENT_IDLE, only().closer);
    }

    /** Vert.x's: the pool's expiry said ahead of the close, which the client's own close that follows does not undo. */
    @Test
    void whoClosesItSaidAheadStands() {
        Object c = new Object();
        hooks.opened(c, null);
        hooks.requesting(c);
        hooks.passivated(c);
        hooks.closedBy(c, CloseEvent.CLIENT_IDLE);
        hooks.closedBy(c, CloseEvent.CLIENT);
        hooks.failed(c, null);
        hooks.stale(c);
        hooks.closing(c, null);
        assertEquals(CloseEvent.CLIENT_IDLE, only().closer);
    }

    /** A close under a request on a reused connection, no failure told: the upstream's, the race. */
    @Test
    void aCloseUnderAReusedConnectionsRequestIsTheRaceWithoutAFailureTold() {
        Object c = new Object();
        hooks.opened(c, null);
        hooks.requesting(c);
        hooks.passivated(c);
        hooks.requesting(c);
        hooks.failed(c, null);
        hooks.stale(c);
        hooks.closing(c, null);
        CloseEvent e = only();
        assertEquals(CloseEvent.PEER, e.closer);
        assertTrue(e.failedAfterIdleMs >= 0, "failed after " + e.failedAfterIdleMs);
    }

    @Test
    void aPoolClosingClosesItsConnectionsAsTheClients() {
        Object c = new Object();
        hooks.opened(c, null);
        hooks.requesting(c);
        hooks.passivated(c);
        hooks.poolClosing(true);
        hooks.closing(c, null);
        hooks.poolClosing(false);
        assertEquals(CloseEvent.CLIENT, only().closer);
    }

    @Test
    void aRequestThatFailsOnAReusedConnectionIsTheRace() throws Exception {
        Object c = new Object();
        hooks.opened(c, null);
        hooks.requesting(c);
        hooks.passivated(c);
        Thread.sleep(30);
        hooks.requesting(c);
        hooks.failed(c, new IOException("unexpected end of stream"));
        hooks.closing(c, null);
        CloseEvent e = only();
        assertEquals(CloseEvent.PEER, e.closer);
        assertEquals(2, e.requests);
        assertTrue(e.failedAfterIdleMs >= 30, "gap " + e.failedAfterIdleMs);
    }

    @Test
    void aFailureOnAFreshConnectionOrByTheClientsOwnTimeoutIsAnError() {
        Object fresh = new Object();
        hooks.opened(fresh, null);
        hooks.requesting(fresh);
        hooks.failed(fresh, new IOException("reset"));
        hooks.closing(fresh, null);
        Object timedOut = new Object();
        hooks.opened(timedOut, null);
        hooks.requesting(timedOut);
        hooks.passivated(timedOut);
        hooks.requesting(timedOut);
        hooks.failed(timedOut, new SocketTimeoutException("read timed out"));
        hooks.closing(timedOut, null);
        assertEquals(2, events.size());
        for (CloseEvent e : events) {
            assertEquals(CloseEvent.ERROR, e.closer);
            assertEquals(-1, e.failedAfterIdleMs);
        }
    }

    @Test
    void theClientsOwnTimeoutsAreToldByTypeOrName() {
        class HttpTimeoutException extends IOException {
        }
        assertTrue(PooledClientConnections.clientsOwnTimeout(new SocketTimeoutException()));
        assertTrue(PooledClientConnections.clientsOwnTimeout(new java.io.InterruptedIOException()));
        assertTrue(PooledClientConnections.clientsOwnTimeout(new HttpTimeoutException()));
        assertFalse(PooledClientConnections.clientsOwnTimeout(new IOException("unexpected end of stream")));
        assertFalse(PooledClientConnections.clientsOwnTimeout(new java.net.SocketException("Connection reset")));
    }

    @Test
    void aStaleCheckThatFoundTheUpstreamsCloseIsThePeers() {
        Object c = new Object();
        hooks.opened(c, null);
        hooks.requesting(c);
        hooks.passivated(c);
        hooks.stale(c);
        hooks.closing(c, null);
        assertEquals(CloseEvent.PEER, only().closer);
    }

    @Test
    void aConnectionIsRetiredAtTheClientIdleOrBeforeAnAnnouncedOne() {
        Object c = new Object();
        hooks.opened(c, null);
        assertFalse(hooks.retires(c, 999));
        assertTrue(hooks.retires(c, 1000));
        Object announced = new Object();
        hooks.opened(announced, null);
        // timeout=1: retired at half of it, the margin at most half the announced idle
        hooks.keepAlive(announced, "timeout=1, max=100");
        assertEquals(500, ClientPoolHooks.retireFloorMs());
        assertFalse(hooks.retires(announced, 499));
        assertTrue(hooks.retires(announced, 500));
        hooks.closing(announced, null);
        assertEquals(CloseEvent.CLIENT_IDLE, only().closer);
    }

    @Test
    void aCloseIsReportedOnce() {
        Object c = new Object();
        hooks.opened(c, null);
        hooks.closing(c, null);
        hooks.closing(c, null);
        assertEquals(1, events.size());
        assertEquals(0, context.tracker("test-client").registry().size());
    }

    @Test
    void aClientOfAVersionNotKnownIsSaidOnceAndLeftUntouched() {
        List<String> left = new ArrayList<>();
        PooledClientConnections checked = new PooledClientConnections(context.tracker("test-client", "4."),
                new PooledClientConnections.Specifics() {
                    @Override
                    public String version(Object pool) {
                        return pool.toString();
                    }

                    @Override
                    public void leave() {
                        left.add("left");
                    }
                });
        checked.poolMade("4.12.0");
        assertTrue(left.isEmpty());
        checked.poolMade("5.3.2");
        assertEquals(Collections.singletonList("test-client 5.3.2 is not a version outlast knows (4); left untouched"),
                context.warnings);
        assertEquals(1, left.size(), "the family's advice pointed at no hooks");
    }

    private CloseEvent only() {
        assertEquals(1, events.size(), events.toString());
        return events.get(0);
    }
}
