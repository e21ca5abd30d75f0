package io.outlast.instrumentation.liberty;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.LibertyHooks;
import io.outlast.family.Addresses;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.EndpointReport;
import io.outlast.family.LiveFamily;
import io.outlast.family.Timeouts;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.security.CodeSource;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open Liberty's connections, as its channel framework reads them. Every wait and every piece of a head is an
 * asynchronous read with its own timeout: the accept's first read (the TCP channel's inactivity timeout, 60 s by
 * default), the read after a response (the HTTP channel's {@code persistTimeout}, 30 s), and the reads of a head under
 * way (its {@code readTimeout}, 60 s each, restarted by every byte). The agent gives each read its timeout: the idle
 * to a wait, and to a head's read what is left of the header deadline, so that Liberty's own timer ends both, as it
 * ends its own (a head cut is answered 408).
 */
final class LibertyConnections extends LibertyHooks implements LiveFamily {
    static final String FAMILY = "liberty";
    private static final String FIRST_READ = "com.ibm.ws.tcpchannel.internal.NewConnectionInitialReadCallback";
    private static final String HTTP_READ = "com.ibm.ws.http.channel.internal.inbound.HttpICLReadCallback";
    /** A TLS handshake's reads (of the TCP channel, for the SSL channel). */
    private static final String HANDSHAKE_READ = "com.ibm.ws.channel.ssl.internal.SSLHandshakeIOCallback";
    /** The SSL channel's read once its handshake is done: the wait for the connection's first request. */
    private static final String TLS_FIRST_READ = "com.ibm.ws.channel.ssl.internal.SSLConnectionLink$MyReadCompletedCallback";
    /** An HTTP/2 connection's reads of frames, one always pending, streams open or not. */
    private static final String H2_READ = "com.ibm.ws.http.channel.h2internal.H2MuxTCPReadCallback";
    /** A timed-out HTTP/2 read this close to the idle's end ends the connection: Liberty's timer ticks by the second. */
    private static final long H2_IDLE_TOLERANCE_MS = 100;
    /** How long after a wait's idle or a head's deadline the sweep times out its read, Liberty's timer not having. */
    static final long BACKSTOP_MS = 250;
    /** How often the sweep looks, while an idle or a header deadline is set. */
    static final long SWEEP_MS = 250;
    /** Liberty's read timeout meaning "the channel's own". */
    private static final int CHANNEL_TIMEOUT = 0;

    private enum Kind { FIRST, TLS_FIRST, HANDSHAKE, HTTP, H2, OTHER }

    private static final ClassValue<Kind> KINDS = new ClassValue<Kind>() {
        @Override
        protected Kind computeValue(Class<?> callback) {
            String name = callback.getName();
            return name.equals(FIRST_READ) ? Kind.FIRST : name.equals(HTTP_READ) ? Kind.HTTP
                    : name.equals(HANDSHAKE_READ) ? Kind.HANDSHAKE : name.equals(TLS_FIRST_READ) ? Kind.TLS_FIRST
                    : name.equals(H2_READ) ? Kind.H2 : Kind.OTHER;
        }
    };
    private static final ClassValue<String> VERSIONS = new ClassValue<String>() {
        @Override
        protected String computeValue(Class<?> type) {
            return version(type);
        }
    };

    private final ConnectionTracker tracker;
    private final Map<String, Boolean> endpoints = new ConcurrentHashMap<>();

    LibertyConnections(ConnectionTracker tracker) {
        this.tracker = tracker;
    }

    private Timeouts timeouts() {
        return tracker.timeouts();
    }

    @Override
    public int reading(Object readContext, Object callback, boolean forceQueue, int timeout) {
        try {
            Kind kind = callback == null ? Kind.OTHER : KINDS.get(callback.getClass());
            if (kind == Kind.OTHER) {
                return timeout;
            }
            Object tcp = LibertyApi.tcpReadContext(readContext);
            LibertyConnection s = tcp == null ? null : state(tcp);
            if (s == null) {
                return timeout;
            }
            if (s.tcpRead == null) {
                s.tcpRead = new WeakReference<>(tcp);
            }
            Timeouts t = timeouts();
            if (kind == Kind.H2) {
                return h2ReadTimeout(s, t, callback, timeout);
            }
            if (s.closer() != null) {
                // a new connection's wait ran out: Liberty hands it to HTTP all the same, which reads for a head again
                // (its readTimeout, 60 s) before it answers 408 and closes. Under the agent's idle that read ends now:
                // at once by the sweep, not a tick of Liberty's timer later
                if (kind == Kind.HTTP && !forceQueue && t.idleMs > 0 && CloseEvent.SERVER_IDLE.equals(s.closer())) {
                    s.endReadNow = true;
                    return 1;
                }
                return timeout;
            }
            long now = System.currentTimeMillis();
            boolean waits = kind == Kind.FIRST ? !s.firstReadIssued
                    : kind == Kind.TLS_FIRST || kind == Kind.HTTP && forceQueue;
            if (kind == Kind.FIRST) {
                s.firstReadIssued = true;
            }
            if (waits) {
                if (kind == Kind.HTTP && !s.reported) {
                    s.reported = true;
                    report(s, "endpoint", timeout, timeouts().headerMs);
                }
                s.headerStartMillis = 0;
                s.waitingSinceMillis = now;
                return t.idleMs > 0 ? (int) Math.min(Integer.MAX_VALUE, t.idleMs) : timeout;
            }
            // more of a head (or of a handshake): its first bytes came with the read that ended the wait
            if (s.headerStartMillis == 0) {
                s.headerStartMillis = now;
            }
            s.waitingSinceMillis = 0;
            if (t.headerMs <= 0) {
                return timeout;
            }
            long left = Math.max(1, s.headerStartMillis + t.headerMs - now);
            return timeout > CHANNEL_TIMEOUT && timeout < left ? timeout : (int) Math.min(Integer.MAX_VALUE, left);
        } catch (Throwable e) {
            tracker.failed(e);
            return timeout;
        }
    }

    /**
     * An HTTP/2 connection's read of frames, always pending, streams open or not: Liberty gives it none (its HTTP/2
     * connections have no idle of their own). With the agent's idle, what is left of it since the last stream ended (the
     * whole idle while one is open); at its end {@link #h2ReadFailed} reads on or lets Liberty close.
     */
    private int h2ReadTimeout(LibertyConnection s, Timeouts t, Object callback, int timeout)
            throws ReflectiveOperationException {
        s.protocol = "h2";
        if (t.idleMs <= 0) {
            return timeout;
        }
        Object link = LibertyApi.h2Link(callback);
        LibertyApi.Http2 h2 = link == null ? null : LibertyApi.http2(link.getClass());
        if (h2 == null) {
            if (link != null) {
                tracker.warnOnce("Open Liberty's HTTP/2 link is not one outlast knows; its connections keep Liberty's"
                        + " behaviour (" + LibertyApi.http2Missing(link.getClass()) + ")");
            }
            return timeout;
        }
        long now = System.currentTimeMillis();
        if (h2.activeStreams(link) > 0) {
            return (int) Math.min(Integer.MAX_VALUE, t.idleMs);
        }
        if (s.waitingSinceMillis == 0) {
            // a connection that has served no stream yet waits from its first read of frames
            s.waitingSinceMillis = now;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, s.waitingSinceMillis + t.idleMs - now));
    }

    @Override
    public void h2StreamEnded(Object h2Link, Object connection) {
        try {
            LibertyConnection s = connection == null ? null : (LibertyConnection) tracker.registry().find(connection);
            LibertyApi.Http2 h2 = s == null ? null : LibertyApi.http2(h2Link.getClass());
            if (h2 == null) {
                return;
            }
            s.protocol = "h2";
            s.requests = h2.streams(h2Link);
            s.headerStartMillis = 0;
            s.waitingSinceMillis = System.currentTimeMillis();
            if (!s.h2Reported) {
                s.h2Reported = true;
                // a stream's head is not timed: Liberty reads HTTP/2 frames whole, each its own
                report(s, "h2 endpoint", -1, -1);
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /**
     * An HTTP/2 read timed out: with a stream open, or before the idle since the last stream's end is over, it reads on
     * (as Liberty does where writes went on); else the connection's idle is over, and Liberty ends it (a GOAWAY, then
     * the close).
     */
    @Override
    public boolean h2ReadFailed(Object h2Link, Object connection, Object readContext, IOException failure) {
        try {
            LibertyConnection s = connection == null ? null : (LibertyConnection) tracker.registry().find(connection);
            long idleMs = timeouts().idleMs;
            LibertyApi.Http2 h2 = s == null || h2Link == null ? null : LibertyApi.http2(h2Link.getClass());
            if (h2 != null && idleMs > 0 && failure instanceof SocketTimeoutException) {
                long now = System.currentTimeMillis();
                long waiting = s.waitingSinceMillis;
                long left = h2.activeStreams(h2Link) > 0 ? idleMs : waiting == 0 ? 0 : waiting + idleMs - now;
                if (left > H2_IDLE_TOLERANCE_MS) {
                    h2.readOn(h2Link, connection, readContext, (int) Math.min(Integer.MAX_VALUE, left));
                    return true;
                }
            }
            readFailed(connection, failure);
        } catch (Throwable t) {
            tracker.failed(t);
        }
        return false;
    }

    /**
     * The backstop of Liberty's timer, which ticks by the second and looks at a read's timeout only when its selector
     * wakes with no bytes for that read: a head trickled faster than once a second to an otherwise quiet server was read
     * on past the deadline (15 s for 3 s), and a new connection's expired wait took two ticks to close (its wait's, then
     * its 408 read's: 2 s late once in CI). A wait or a head {@link #BACKSTOP_MS} past its end, not yet timed out, and a
     * 408 read given its 1 ms, have their pending read timed out at once, which Liberty answers as its own timeout.
     * HTTP/2 connections are timed by their reads of frames ({@link #h2ReadFailed}).
     */
    void sweep() {
        Timeouts t = timeouts();
        long now = System.currentTimeMillis();
        tracker.registry().forEach((connection, state) -> {
            LibertyConnection s = (LibertyConnection) state;
            boolean due;
            if (s.endReadNow) {
                s.endReadNow = false;
                due = true;
            } else {
                long header = s.headerStartMillis;
                long waiting = s.waitingSinceMillis;
                due = s.closer() == null && !"h2".equals(s.protocol)
                        && (t.headerMs > 0 && header != 0 && now - header >= t.headerMs + BACKSTOP_MS
                        || t.idleMs > 0 && header == 0 && waiting != 0 && now - waiting >= t.idleMs + BACKSTOP_MS);
            }
            WeakReference<Object> read = s.tcpRead;
            Object tcp = !due || read == null ? null : read.get();
            if (tcp == null) {
                return;
            }
            try {
                LibertyApi api = LibertyApi.of(tcp.getClass());
                if (api != null) {
                    api.timeOutPendingRead(tcp);
                }
            } catch (Throwable e) {
                tracker.failed(e);
            }
        });
    }

    /** The read's connection's state: registered at its first read the agent meets (open before it, too). */
    private LibertyConnection state(Object readContext) throws ReflectiveOperationException {
        LibertyApi api = LibertyApi.of(readContext.getClass());
        if (api == null) {
            tracker.warnOnce("Open Liberty's channel framework is not one outlast knows; left untouched ("
                    + LibertyApi.missing(readContext.getClass()) + ")");
            return null;
        }
        Object tcp = api.connection(readContext);
        Object vc = tcp == null ? null : LibertyApi.virtualConnectionOf(tcp);
        if (vc == null) {
            return null;
        }
        LibertyConnection s = (LibertyConnection) tracker.registry().get(vc);
        if (s != null) {
            return s;
        }
        String version = VERSIONS.get(readContext.getClass());
        if (!tracker.supports(version)) {
            return null;
        }
        s = new LibertyConnection(api.local(tcp), api.remote(tcp), System.currentTimeMillis(), version);
        return (LibertyConnection) tracker.registry().putIfAbsent(vc, s);
    }

    @Override
    public void requestIn(Object httpLink) {
        try {
            Object vc = LibertyApi.virtualConnectionOf(httpLink);
            // on the thread that completed the connection's read a moment ago: its last entry
            LibertyConnection s = vc == null ? null : (LibertyConnection) tracker.registry().get(vc);
            if (s != null) {
                s.requests++;
                s.headerStartMillis = 0;
                s.waitingSinceMillis = 0;
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /** A wait's or a head's read timed out (the agent's timeout where it gave one), or the read met the peer's end. */
    @Override
    public void readFailed(Object vc, IOException failure) {
        LibertyConnection s = vc == null ? null : (LibertyConnection) tracker.registry().find(vc);
        if (s == null) {
            return;
        }
        long now = System.currentTimeMillis();
        if (failure instanceof SocketTimeoutException) {
            long header = s.headerStartMillis;
            long waiting = s.waitingSinceMillis;
            if (header != 0) {
                s.mark(CloseEvent.SERVER_HEADER, 0);
            } else if (waiting != 0) {
                s.mark(CloseEvent.SERVER_IDLE, now - waiting);
            }
        } else if (endOfStream(failure)) {
            s.mark(CloseEvent.PEER, s.waitingSinceMillis != 0 ? now - s.waitingSinceMillis : 0);
        } else {
            s.mark(CloseEvent.ERROR, 0);
        }
    }

    /**
     * Liberty's NIO read reports the peer's FIN as an IOException that says so (no type of its own), and its SSL channel
     * a peer's close_notify as one that says the peer closed.
     */
    private static boolean endOfStream(IOException failure) {
        String message = failure.getMessage();
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("end of stream") || m.contains("closed by peer");
    }

    @Override
    public void closing(Object tcpConnection, Object vc, Exception cause) {
        try {
            LibertyConnection s = vc == null ? null : (LibertyConnection) tracker.registry().remove(vc);
            if (s == null) {
                return;
            }
            LibertyApi api = LibertyApi.of(tcpConnection.getClass());
            boolean stopping = api != null && api.stopping(tcpConnection);
            long waiting = s.waitingSinceMillis;
            tracker.closed(s, stopping, cause == null ? CloseEvent.SERVER : CloseEvent.ERROR,
                    waiting != 0 ? System.currentTimeMillis() - waiting : 0, s.requests);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /**
     * An endpoint is reported at the first read after a response on it (its timeout is the HTTP channel's idle), and its
     * HTTP/2 idle at the end of a first stream on it.
     */
    private void report(LibertyConnection s, String what, long ownIdleMs, long headerMs) {
        String address = Addresses.format(s.localPacked(), s.local());
        if (endpoints.putIfAbsent(what + " " + address, Boolean.TRUE) != null) {
            return;
        }
        long idleMs = timeouts().idleMs;
        tracker.report(new EndpointReport(FAMILY, s.version, what, address, ownIdleMs,
                idleMs > 0 ? idleMs : ownIdleMs, -1, headerMs));
    }

    /**
     * Liberty's version, from its install's {@code lib/versions/openliberty.properties}: the channel framework's bundle
     * lies in that {@code lib}.
     */
    static String version(Class<?> libertyClass) {
        try {
            CodeSource source = libertyClass.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location == null || !"file".equals(location.getProtocol())) {
                return "unknown";
            }
            File lib = new File(location.toURI()).getParentFile();
            File versions = new File(lib, "versions/openliberty.properties");
            Properties p = new Properties();
            try (InputStream in = new FileInputStream(versions)) {
                p.load(in);
            }
            String v = p.getProperty("com.ibm.websphere.productVersion");
            return v == null ? "unknown" : v.trim();
        } catch (Exception | LinkageError e) {
            return "unknown";
        }
    }
}
