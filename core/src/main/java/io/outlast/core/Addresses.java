package io.outlast.core;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Socket addresses as events print them: {@code 10.0.0.5:8080}, {@code [::1]:8080}, never a host name lookup. */
public final class Addresses {
    private Addresses() {
    }

    public static String format(SocketAddress a) {
        if (a == null) {
            return "-";
        }
        if (!(a instanceof InetSocketAddress)) {
            return a.toString();
        }
        InetSocketAddress i = (InetSocketAddress) a;
        String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
    }

    /** The port of an address as {@link #format} prints it, or -1. */
    static int port(String address) {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon < 0) {
            return -1;
        }
        try {
            return Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
