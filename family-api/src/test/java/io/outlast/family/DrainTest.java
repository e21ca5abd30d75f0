package io.outlast.family;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionState;
import io.outlast.bootstrap.EventSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stopping server's connections held, named and let go as the drain says, whatever the family. */
class DrainTest {
    private final TestFamilyContext context = new TestFamilyContext(3000, 4000);
    private final ConnectionTracker tracker = context.tracker("test");
    private final List<CloseEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void sink() {
        EventSink.set(new EventSink() {
            @Override
            public void close(CloseEvent event) {
                events.add(event);
            }
        });
    }

    @AfterEach
    void noSink() {
        EventSink.set(null);
    }

    private ConnectionState open(Object connection, int localPort) {
        ConnectionState s = new ConnectionState(null, "test", new InetSocketAddress("127.0.0.1", localPort),
                new InetSocketAddress("127.0.0.1", 40000), System.currentTimeMillis());
        tracker.registry().putIfAbsent(connection, s);
        return s;
    }

    private void close(Object connection, boolean stopping) {
        ConnectionState s = tracker.registry().remove(connection);
        tracker.closed(s, stopping, CloseEvent.SERVER, 7, 1);
    }

    @Test
    void theServersClosesWhileItDrainsAreTheDrainsAndThePeersStayThePeers() {
        Object a = new Object();
        Object b = new Object();
        Object c = new Object();
        Object other = new Object();
        open(a, 8080);
        open(b, 8080).mark(CloseEvent.PEER, 1200);
        open(c, 8080).mark(CloseEvent.SERVER_IDLE, 3000);
        open(other, 9090);
        tracker.beginDrain(new int[] {8080}, 10_000);
        close(a, true);
        close(b, true);
        close(c, false);
        close(other, true);
        assertEquals(List.of(CloseEvent.DRAIN, CloseEvent.PEER, CloseEvent.DRAIN, CloseEvent.SHUTDOWN),
                events.stream().map(e -> e.closer).toList());
        assertEquals(1200, events.get(1).idleMs);
        assertEquals(3000, events.get(2).idleMs);
    }

    @Test
    void theServersStopAndTheExitMeetOnOneDrain() {
        Drain stop = tracker.beginDrain(new int[] {8080}, 10_000);
        assertSame(stop, tracker.beginDrain(new int[] {8080}, 10_000));
        assertSame(stop, tracker.drainOf(8080));
        assertNull(tracker.drainOf(9090));
        Drain exit = tracker.beginDrain(null, 10_000);
        assertSame(exit, tracker.drainOf(9090));
        assertTrue(tracker.draining());
    }

    @Test
    void aStopWhoseListenersAnotherDrainClosedWaitsForThatOneAndStartsNone() {
        Object a = new Object();
        open(a, 8080);
        Drain exit = tracker.beginDrain(null, 10_000);
        new Thread(() -> {
            sleep(200);
            close(a, true);
        }).start();
        long start = System.nanoTime();
        tracker.awaitUnderWay((connection, s) -> {
            throw new AssertionError("nothing is left to close");
        });
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= 150 && tookMs < 2000, tookMs + " ms");
        assertTrue(exit.ended());
        // none under way: returns at once, holding no other server's connections
        open(new Object(), 9090);
        start = System.nanoTime();
        tracker.awaitUnderWay((connection, s) -> {
            throw new AssertionError("no drain");
        });
        assertTrue((System.nanoTime() - start) / 1_000_000 < 100);
        assertFalse(tracker.draining());
    }

    @Test
    void itEndsWhenThePeerHasLetEveryConnectionGo() {
        Object a = new Object();
        open(a, 8080);
        Drain d = tracker.beginDrain(new int[] {8080}, 10_000);
        assertEquals(1, d.left());
        new Thread(() -> {
            sleep(200);
            close(a, true);
        }).start();
        long start = System.nanoTime();
        assertEquals(0, d.await((connection, s) -> {
            throw new AssertionError("nothing is left to close");
        }));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= 150 && tookMs < 2000, tookMs + " ms");
        assertTrue(d.ended());
        assertNull(tracker.drainOf(8080));
        assertFalse(tracker.draining());
    }

    @Test
    void atItsEndWhatIsLeftIsClosedAndNamedTheDrains() {
        Object idle = new Object();
        open(idle, 8080);
        List<Object> closed = new ArrayList<>();
        Drain d = tracker.beginDrain(new int[] {8080}, 300);
        long start = System.nanoTime();
        assertEquals(1, d.await((connection, s) -> {
            Drain.markLeft(s, 2500);
            closed.add(connection);
            close(connection, true);
        }));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= 290 && tookMs < 2000, tookMs + " ms");
        assertEquals(List.of(idle), closed);
        assertEquals(CloseEvent.DRAIN, events.get(0).closer);
        assertEquals(2500, events.get(0).idleMs);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
