package io.outlast.family;


import io.outlast.bootstrap.ClientConnectionState;
import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.ConnectionState;
import io.outlast.bootstrap.EventSink;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;

/** What every family keeps: its open connections, its close events, its warnings (each said once). */
public final class ConnectionTracker {
    private final String family;
    private final FamilyContext context;
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final String[] lines;
    /** Drains under way ({@link Drain}), and those just ended whose closes are still coming: few, kept while a server stops. */
    private final List<Drain> drains = new CopyOnWriteArrayList<>();
    /** How many drains are under way: what a hook on every response reads first. */
    private volatile int drainsUnderWay;

    /** {@code lines}: the version lines outlast knows for this family, as prefixes ("10.1."). */
    public ConnectionTracker(String family, FamilyContext context, String... lines) {
        this.family = family;
        this.context = context;
        this.lines = lines.clone();
        context.register(this);
    }

    /** Whether outlast knows this version; if not, says once that the server is left untouched. */
    public boolean supports(String version) {
        for (String line : lines) {
            if (version.startsWith(line)) {
                return true;
            }
        }
        StringBuilder known = new StringBuilder();
        for (String line : lines) {
            known.append(known.length() == 0 ? "" : ", ").append(line, 0, line.length() - 1);
        }
        warnOnce(family + " " + version + " is not a version outlast knows (" + known + "); left untouched");
        return false;
    }

    public String family() {
        return family;
    }

    /** The timeouts in force, read each time: an attach may change them while the server runs. */
    public Timeouts timeouts() {
        return context.timeouts();
    }

    /** The line that says what the family found of a server, and what it set. */
    public void report(EndpointReport report) {
        context.report(report);
    }

    public FamilyContext context() {
        return context;
    }

    public ConnectionRegistry registry() {
        return registry;
    }

    /** A sweep of this family's connections ({@link FamilyContext#sweep}), started by the first one registered. */
    public void sweepConnections(ToLongFunction<Timeouts> period, Runnable task) {
        registry.whenFirst(context.sweep(period, task)::start);
    }

    /**
     * The close event of a connection. Its closer is the first mark taken (peer, error, a timeout); with
     * none, or a failure while the server stops (stopping fails connections), it is {@code shutdown} when
     * the server is stopping, else {@code unmarked}, the family's reading of an unexplained close.
     */
    public void closed(ConnectionState s, boolean stopping, String unmarked, long unmarkedIdleMs, long requests) {
        String closer = s.closer();
        long idleMs = s.idleAtMarkMs();
        if (readsUnmarked(s, stopping)) {
            closer = stopping ? CloseEvent.SHUTDOWN : unmarked;
            idleMs = unmarkedIdleMs;
        }
        if (!drains.isEmpty() && !CloseEvent.PEER.equals(closer) && !CloseEvent.ERROR.equals(closer) && draining(s)) {
            // the server's closes while it drains are the drain's: after a last response, or at its end
            closer = CloseEvent.DRAIN;
        }
        close(s, closer, idleMs, requests);
    }

    /**
     * A server of this family begins to stop with a drain set: its connections on these local ports ({@code null}:
     * all of the family's) are held for {@code drainMs}. A drain already under way that holds them is returned
     * instead (the server's own stop and the agent's exit hook may both begin one).
     */
    public synchronized Drain beginDrain(int[] ports, long drainMs) {
        for (Drain d : drains) {
            if (d.stale()) {
                drains.remove(d);
            } else if (!d.ended() && d.includes(ports)) {
                return d;
            }
        }
        Drain d = new Drain(this, ports, drainMs);
        drains.add(d);
        drainsUnderWay++;
        int left = d.left();
        if (left > 0) {
            // a stop that finds nothing open (a second hook of the same stop, mostly) is not worth a line
            d.announced = true;
            context.info(family + " stopping: draining " + left + " open connections (port " + d.ports()
                    + "): answered with Connection: close, let go when the peer closes, the rest closed in " + drainMs
                    + "ms");
        }
        return d;
    }

    /**
     * A stop whose listeners another drain closed already (the exit's, a graceful shutdown's) waits for that one; with
     * none under way, nothing (not a drain of the whole family, which would hold other servers' connections).
     */
    public void awaitUnderWay(Drain.Closer closer) {
        for (Drain d : drains) {
            if (!d.ended()) {
                d.await(closer);
                return;
            }
        }
    }

    /** The drain under way that holds connections on this local port, or null. */
    public Drain drainOf(int port) {
        for (Drain d : drains) {
            if (!d.ended() && d.covers(port)) {
                return d;
            }
        }
        return null;
    }

    /** Whether a drain is under way. */
    public boolean draining() {
        return drainsUnderWay > 0;
    }

    synchronized void drainEnded() {
        drainsUnderWay--;
    }

    /**
     * Whether a drain under way holds this connection: its next response closes it. On a server's thread per
     * response, one volatile read when no drain is under way.
     */
    public boolean holds(Object connection) {
        if (drainsUnderWay == 0) {
            return false;
        }
        ConnectionState s = registry.find(connection);
        if (s == null) {
            return false;
        }
        for (Drain d : drains) {
            if (!d.ended() && d.covers(s)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this connection's close is a drain's (under way, or just ended): logged {@code drain}. */
    public boolean draining(ConnectionState s) {
        for (Drain d : drains) {
            if (d.closes(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@link #closed} will use the family's unmarked closer and idle for this connection: a family
     * reads them (reflective calls at every close) only then.
     */
    public static boolean readsUnmarked(ConnectionState s, boolean stopping) {
        String closer = s.closer();
        return closer == null || (stopping && closer.equals(CloseEvent.ERROR));
    }

    private void close(ConnectionState s, String closer, long idleMs, long requests) {
        long now = System.currentTimeMillis();
        idleMs = Math.max(0, idleMs);
        // idle is timed on the nano clock, age on the wall clock (or from when the agent met the connection): a
        // connection was open at least as long as it was idle
        long ageMs = Math.max(idleMs, now - s.openedMillis);
        EventSink.get().close(new CloseEvent(now, family, s.local(), s.localPacked(), s.remote(), s.remotePacked(), closer,
                idleMs, requests, ageMs, s.protocol));
    }

    /**
     * The close event of a client pool's connection, with its requests and age as its pool counted them ({@code ageMs}
     * -1: from when the agent met it; {@code failedAfterIdleMs}: the idle gap before a request the close failed, or
     * -1).
     */
    public void closedClient(ClientConnectionState s, String closer, long idleMs, long requests, long ageMs,
                             long failedAfterIdleMs) {
        long now = System.currentTimeMillis();
        idleMs = Math.max(0, idleMs);
        EventSink.get().close(CloseEvent.ofClient(now, family, s.localPacked(), s.local(), s.remotePacked(), s.remote(),
                closer, idleMs, requests, Math.max(idleMs, ageMs >= 0 ? ageMs : now - s.openedMillis),
                failedAfterIdleMs));
    }

    public void warnOnce(String message) {
        context.warnOnce(message);
    }

    /** A hook that failed: the connection may go unreported, the server is unaffected. */
    public void failed(Throwable t) {
        warnOnce(family + " hook failed, that connection may go unreported: " + t);
    }
}
