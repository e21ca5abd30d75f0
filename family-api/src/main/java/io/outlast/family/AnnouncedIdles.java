package io.outlast.family;

import io.outlast.bootstrap.ClientConnectionState;

/**
 * The idles upstreams announced to the JVM's client pools ({@code Keep-Alive: timeout=}), as far as the retire floor
 * (below which advice asks no hook whether to retire a pooled connection) needs them: the shortest, for every client
 * family. Each connection keeps its own on its state.
 */
public final class AnnouncedIdles {
    private static volatile long shortestMs = -1;

    private AnnouncedIdles() {
    }

    /**
     * Records the idle a response head's {@code Keep-Alive} header announced on this connection; true when it is the
     * shortest so far, and the floor is to be computed again.
     */
    public static boolean announce(ClientConnectionState s, String keepAlive) {
        long announcedMs = KeepAlive.timeoutMs(keepAlive);
        if (announcedMs < 0 || s.announcedIdleMs == announcedMs) {
            return false;
        }
        s.announcedIdleMs = announcedMs;
        long shortest = shortestMs;
        if (shortest < 0 || announcedMs < shortest) {
            shortestMs = announcedMs;
            return true;
        }
        return false;
    }

    /** For tests: none announced yet. */
    static void forget() {
        shortestMs = -1;
    }

    /** The shortest idle at which any pooled connection is retired under these settings, or -1 for none. */
    public static long retireFloorMs(Timeouts t) {
        long announced = shortestMs;
        long floor = t.clientIdleMs;
        if (announced >= 0) {
            long retire = t.clientRetireMs(announced);
            floor = floor < 0 ? retire : Math.min(floor, retire);
        }
        return floor;
    }
}
