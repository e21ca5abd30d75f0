package io.outlast.family;

import io.outlast.bootstrap.PackedAddress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Socket addresses as events print them: {@code 10.0.0.5:8080}, {@code [::1]:8080}, never a host name lookup.
 * A connection keeps the server's own address object and the log's thread formats it into its line: no
 * string is made per connection on a server thread.
 */
public final class Addresses {
    private Addresses() {
    }

    /** An address (a {@link SocketAddress}, or a server's own text) as printed. */
    public static String format(Object a) {
        StringBuilder b = new StringBuilder(24);
        append(b, a);
        return b.toString();
    }

    /** An event's address: packed, or else its object. */
    public static void append(StringBuilder b, long packed, Object a) {
        if (packed != 0) {
            PackedAddress.append(b, packed);
        } else {
            append(b, a);
        }
    }

    public static String format(long packed, Object a) {
        StringBuilder b = new StringBuilder(24);
        append(b, packed, a);
        return b.toString();
    }

    public static int port(long packed, Object address) {
        return packed != 0 ? PackedAddress.port(packed) : port(address);
    }

    public static void append(StringBuilder b, Object a) {
        if (a == null) {
            b.append('-');
        } else if (a instanceof InetSocketAddress) {
            InetSocketAddress i = (InetSocketAddress) a;
            InetAddress ip = i.getAddress();
            if (ip instanceof Inet4Address) {
                byte[] q = ip.getAddress();
                b.append(q[0] & 255).append('.').append(q[1] & 255).append('.').append(q[2] & 255).append('.')
                        .append(q[3] & 255);
            } else {
                String host = ip != null ? ip.getHostAddress() : i.getHostString();
                if (host.indexOf(':') >= 0) {
                    b.append('[').append(host).append(']');
                } else {
                    b.append(host);
                }
            }
            b.append(':').append(i.getPort());
        } else {
            b.append(a);
        }
    }

    /** The port of an address as {@link #append} prints it, or -1. */
    public static int port(Object address) {
        if (address instanceof InetSocketAddress) {
            return ((InetSocketAddress) address).getPort();
        }
        if (!(address instanceof String)) {
            return -1;
        }
        String s = (String) address;
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            return -1;
        }
        try {
            return Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
