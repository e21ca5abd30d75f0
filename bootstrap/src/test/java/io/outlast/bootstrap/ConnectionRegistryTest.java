package io.outlast.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionRegistryTest {
    /** Two connections that are equal() are still two connections. */
    @Test
    void byIdentity() {
        ConnectionRegistry r = new ConnectionRegistry();
        String a = new String("conn");
        String b = new String("conn");
        ConnectionState sa = state();
        r.putIfAbsent(a, sa);
        assertSame(sa, r.get(a));
        assertSame(sa, r.find(a));
        assertNull(r.get(b));
        assertNull(r.find(b));
        assertSame(sa, r.putIfAbsent(a, state()));
        assertSame(sa, r.remove(a));
        assertNull(r.find(a));
        assertEquals(0, r.size());
    }

    /** What waits for the first connection (a family's sweeps) runs on its registration, once. */
    @Test
    void runsWhatWaitsForTheFirstConnectionOnce() {
        ConnectionRegistry r = new ConnectionRegistry();
        int[] runs = new int[2];
        r.whenFirst(() -> runs[0]++);
        r.whenFirst(() -> runs[1]++);
        assertEquals(0, runs[0] + runs[1]);
        r.putIfAbsent(new Object(), state());
        r.putIfAbsent(new Object(), state());
        assertEquals(1, runs[0]);
        assertEquals(1, runs[1]);
        // one registered already: at once
        int[] later = new int[1];
        r.whenFirst(() -> later[0]++);
        assertEquals(1, later[0]);
        r.putIfAbsent(new Object(), state());
        assertEquals(1, later[0]);
    }

    /** A connection whose close the agent missed is dropped once the server lets go of it. */
    @Test
    void forgetsConnectionsNobodyHolds() throws InterruptedException {
        ConnectionRegistry r = new ConnectionRegistry();
        List<Object> held = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Object connection = new Object();
            r.putIfAbsent(connection, state());
            if (i % 10 == 0) {
                held.add(connection);
            }
        }
        for (int i = 0; i < 100 && r.size() > held.size(); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(held.size(), r.size());
        int[] seen = {0};
        r.forEach((c, s) -> seen[0]++);
        assertEquals(held.size(), seen[0]);
        assertTrue(held.size() > 0);
    }

    /** A thread's last entry found never outlives the connection's removal, by this thread or another. */
    @Test
    void lastFoundIsForgottenOnRemoval() throws InterruptedException {
        ConnectionRegistry r = new ConnectionRegistry();
        Object connection = new Object();
        ConnectionState first = state();
        r.putIfAbsent(connection, first);
        assertSame(first, r.get(connection));
        Thread other = new Thread(() -> r.remove(connection));
        other.start();
        other.join();
        assertNull(r.get(connection));
        ConnectionState second = state();
        r.putIfAbsent(connection, second);
        assertSame(second, r.get(connection));
        assertNull(r.get(new Object()));
        assertSame(second, r.get(connection));
    }

    @Test
    void firstMarkWins() {
        ConnectionState s = state();
        assertTrue(s.mark(CloseEvent.SERVER_IDLE, 65000));
        assertTrue(!s.mark(CloseEvent.PEER, 1));
        assertEquals(CloseEvent.SERVER_IDLE, s.closer());
        assertEquals(65000, s.idleAtMarkMs());
    }

    private static ConnectionState state() {
        return new ConnectionState(null, "test", "l", "r", 0);
    }
}
