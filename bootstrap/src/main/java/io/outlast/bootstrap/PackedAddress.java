package io.outlast.bootstrap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * An IPv4 socket address as one {@code long}, taken when a hook has the server's address objects at hand.
 * The log formats closes milliseconds later on its own thread, by which time those objects (four per
 * address, made at accept) are out of the cache: reading them there was the log's costliest step.
 */
public final class PackedAddress {
    /** Set in every packed address, so that none is 0 (0 means not packed). */
    private static final long PACKED = 1L << 48;

    private PackedAddress() {
    }

    /** The address packed, or 0 if it is not an IPv4 socket address. */
    public static long pack(Object address) {
        if (!(address instanceof InetSocketAddress)) {
            return 0;
        }
        InetSocketAddress a = (InetSocketAddress) address;
        InetAddress ip = a.getAddress();
        if (!(ip instanceof Inet4Address)) {
            return 0;
        }
        byte[] q = ip.getAddress();
        long v = ((q[0] & 255L) << 24) | ((q[1] & 255) << 16) | ((q[2] & 255) << 8) | (q[3] & 255);
        return PACKED | (v << 16) | (a.getPort() & 0xffff);
    }

    public static int port(long packed) {
        return (int) (packed & 0xffff);
    }

    /** {@code 10.0.0.5:8080} */
    public static void append(StringBuilder b, long packed) {
        long v = (packed >>> 16) & 0xffffffffL;
        b.append((v >>> 24) & 255).append('.').append((v >>> 16) & 255).append('.').append((v >>> 8) & 255)
                .append('.').append(v & 255).append(':').append(port(packed));
    }
}
