package io.outlast.bootstrap;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class PackedAddressTest {
    @Test
    void ipv4PacksAndPrintsAsTheObjectWould() throws Exception {
        for (String ip : new String[] {"0.0.0.0", "127.0.0.1", "10.0.0.5", "255.255.255.255", "192.168.200.1"}) {
            for (int port : new int[] {0, 1, 8080, 65535}) {
                long p = PackedAddress.pack(new InetSocketAddress(InetAddress.getByName(ip), port));
                assertNotEquals(0, p);
                StringBuilder b = new StringBuilder();
                PackedAddress.append(b, p);
                assertEquals(ip + ":" + port, b.toString());
                assertEquals(port, PackedAddress.port(p));
            }
        }
    }

    @Test
    void othersAreNotPacked() throws Exception {
        assertEquals(0, PackedAddress.pack(new InetSocketAddress(InetAddress.getByName("::1"), 80)));
        assertEquals(0, PackedAddress.pack(InetSocketAddress.createUnresolved("example.com", 80)));
        assertEquals(0, PackedAddress.pack("10.0.0.1:80"));
        assertEquals(0, PackedAddress.pack(null));
    }

    @Test
    void aStateKeepsOnlyWhatItCannotPack() throws Exception {
        Object v6 = new InetSocketAddress(InetAddress.getByName("::1"), 80);
        ConnectionState s = new ConnectionState(null, "x", new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 80),
                v6, 0);
        assertNull(s.local());
        assertNotEquals(0, s.localPacked());
        assertSame(v6, s.remote());
        assertEquals(0, s.remotePacked());
        assertEquals(true, s.addressed());
        assertEquals(false, new ConnectionState(null, "x", null, null, 0).addressed());
    }
}
