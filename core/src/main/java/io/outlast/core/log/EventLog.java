package io.outlast.core.log;

import io.outlast.core.install.AgentThreads;
import io.outlast.core.settings.Config;
import io.outlast.family.Addresses;
import io.outlast.family.EndpointReport;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.EventSink;

import java.io.IOException;
import java.io.Writer;
import java.lang.ref.WeakReference;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes close events and reports on its own thread. Server threads only append to a bounded queue:
 * when the output cannot keep up, events are counted as dropped and the count is logged, rather than
 * a server thread ever waiting on a disk or a pipe.
 */
public final class EventLog extends EventSink implements Runnable {
    static final int CAPACITY = 8192;
    /**
     * How often the log's thread looks for lines: every 20 ms while there are some, backing off to every
     * 100 ms while there are none, then asleep until a line comes ({@link #sleeping}). Each look wakes a
     * thread on the server's cores: at 200 a second it cost a kept-alive server about 1% of its CPU, and the
     * switch was an eighth of the log's own CPU under a stream of closes (both measured).
     */
    private static final long WAIT_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20);
    private static final long IDLE_WAIT_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
    private static final int BATCH = 1024;
    static final String APP = LogTarget.APP;
    /** How long the JVM's exit waits for the last lines: a full pipe or a hung disk must not hold it longer. */
    static final long EXIT_DRAIN_MS = 2000;

    /**
     * Lock-free: a closing server thread appends and goes on (a blocking queue's lock was the agent's
     * hottest spot with a connection per request); the log's thread looks every few milliseconds.
     */
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final Writer out;
    private final boolean json;
    private final boolean stamped;
    private volatile Config config;
    private final Thread thread;
    private Thread exitHook;
    private volatile Listener listener;
    /** {@code log=app}, which cannot change while the agent runs. */
    private final boolean app;
    /**
     * For {@code log=app}: a class loader of the application's, seen on a closing thread; held weakly, as
     * is everything reached through it, so that a web application's loader goes with its redeploy.
     */
    private volatile WeakReference<ClassLoader> appLoader;
    private boolean noAppLogger;
    /** The keys of warnings said once already ({@link #warnOnce}); a bounded number, then no more. */
    private final Set<String> saidOnce = ConcurrentHashMap.newKeySet();
    private static final int SAID_ONCE_MAX = 64;
    private volatile boolean stopped;
    /**
     * The log's thread sleeps until a line comes: the line's offer wakes it. Looking ten times a second for
     * lines that do not come cost a kept-alive server ~50 us of CPU a look (measured); a wake costs the
     * offering thread one unpark per quiet spell instead, none under a stream of closes.
     */
    private volatile boolean sleeping;
    /**
     * A close was counted since the statistics were last published ({@link Listener#refresh}): plain, set by
     * closing threads only when clear, seen by the log's thread on its next look (a volatile write per close
     * would cost every close a fence for a figure read at most once a second).
     */
    private boolean statsChanged;
    private long refreshedNanos;
    /** At most this often while lines keep coming; and whenever the log's thread goes to sleep. */
    private static final long REFRESH_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    private long isoSecond = Long.MIN_VALUE;
    /** The batch being written, and its characters: the log's thread only, under {@link #write}'s lock. */
    private StringBuilder lines = new StringBuilder(8192);
    private char[] chars = new char[8192];
    private String isoPrefix;

    /** Who else hears of closes (on the closing thread: must be quick) and endpoints (on the log's thread). */
    public interface Listener {
        void closed(CloseEvent event);

        void reported(EndpointReport report);

        /** On the log's thread, at most once a second: the statistics have changed, publish them. */
        void refresh();
    }

    public EventLog(Config config) throws IOException {
        this(config, LogTarget.open(config.log), !"stderr".equals(config.log) && !"stdout".equals(config.log)
                && !APP.equals(config.log));
    }

    public EventLog(Config config, Writer out, boolean stamped) {
        this.config = config;
        this.json = config.json;
        this.out = out;
        this.stamped = stamped;
        this.app = APP.equals(config.log);
        this.thread = AgentThreads.daemon(this, "outlast-log");
    }

    public void start() {
        thread.start();
        try {
            Thread hook = AgentThreads.daemon(() -> writeQueued(EXIT_DRAIN_MS), "outlast-log-flush");
            Runtime.getRuntime().addShutdownHook(hook);
            exitHook = hook;
        } catch (IllegalStateException alreadyShuttingDown) {
            // nothing to flush later
        }
    }

    /**
     * At the JVM's exit: the lines still queued written, on a thread of their own that the exit does not
     * wait for beyond {@code limitMs} (a write into a full pipe blocks for as long as nobody reads it).
     * Whether all was written in time.
     */
    public boolean writeQueued(long limitMs) {
        Thread t = AgentThreads.daemon(this::writeAll, "outlast-log-flush-queue");
        t.start();
        try {
            t.join(limitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    /** Whether the log's thread sleeps until a line comes (for tests). */
    boolean asleep() {
        return sleeping;
    }

    public void listener(Listener l) {
        listener = l;
    }

    /** New settings: which closes are logged. */
    public void config(Config c) {
        config = c;
    }

    @Override
    public void close(CloseEvent event) {
        Listener l = listener;
        if (l != null) {
            try {
                l.closed(event);
            } catch (Throwable t) {
                // the statistics miss this close; the line is logged all the same
                failed("counting a close", t);
            }
        }
        if (app) {
            WeakReference<ClassLoader> known = appLoader;
            if (known == null || known.get() == null) {
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                if (loader != null) {
                    appLoader = new WeakReference<>(loader);
                }
            }
        }
        if (!statsChanged) {
            statsChanged = true;
        }
        if (config.logs(event.serverInitiated())) {
            offer(event);
        } else if (sleeping) {
            // nothing to write, but figures to publish: one wake per quiet spell, as a line's
            sleeping = false;
            LockSupport.unpark(thread);
        }
    }

    public void report(EndpointReport report) {
        offer(report);
    }

    public void warn(String message) {
        offer(new Message("warning", message));
    }

    /** A warning that a server was found: {@code status} and {@code list} change with it (published with the line). */
    public void found(String message) {
        statsChanged = true;
        warn(message);
    }

    public void info(String message) {
        offer(new Message("info", message));
    }

    private void offer(Object line) {
        if (queued.incrementAndGet() > CAPACITY) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.offer(line);
        if (sleeping) {
            sleeping = false;
            LockSupport.unpark(thread);
        }
    }

    /** Up to {@code max} queued lines into {@code batch}. */
    private void drainTo(List<Object> batch, int max) {
        Object o;
        int n = 0;
        while (n < max && (o = queue.poll()) != null) {
            batch.add(o);
            n++;
        }
        if (n > 0) {
            queued.addAndGet(-n);
        }
    }

    /** Writes what is queued, ends the log's thread and closes a file log (a reset); bounded like an exit. */
    public void stop() {
        stopped = true;
        thread.interrupt();
        Thread hook = exitHook;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway
            }
            exitHook = null;
        }
        if (writeQueued(EXIT_DRAIN_MS)) {
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                // gone already
            }
        }
    }

    @Override
    public void run() {
        List<Object> batch = new ArrayList<>();
        long wait = WAIT_NANOS;
        while (!stopped) {
            int n;
            try {
                n = writeQueued(batch);
            } catch (Throwable t) {
                // nothing may end this thread: the lines after a failure would be counted as dropped, unseen
                batch.clear();
                failed("writing the log", t);
                n = 0;
            }
            if (n == BATCH) {
                continue;
            }
            // a pause after a write too: looking again at once found a line or two each time under a steady
            // stream of closes, and paid a write call for each
            if (n > 0 && statsChanged && System.nanoTime() - refreshedNanos >= REFRESH_NANOS) {
                refresh();
            }
            if (n == 0 && wait == IDLE_WAIT_NANOS) {
                // the flag before the look: a line offered after the look sees it and wakes this thread
                sleeping = true;
                if (statsChanged) {
                    refresh();
                }
                if (queue.isEmpty()) {
                    LockSupport.park(this);
                }
                sleeping = false;
                wait = WAIT_NANOS;
            } else {
                wait = n == 0 ? Math.min(IDLE_WAIT_NANOS, wait * 2) : WAIT_NANOS;
                LockSupport.parkNanos(wait);
            }
            if (Thread.interrupted()) {
                return;
            }
        }
    }

    /**
     * Takes and writes a batch, under the lock the shutdown's drain takes: a batch this thread has taken is
     * written before the drain returns, not lost when the JVM halts after it (seen: a close at shutdown
     * missing from the log). A method of its own so that the JIT compiles it: the loop that calls it turns
     * too rarely to be compiled, and ran interpreted.
     */
    private synchronized int writeQueued(List<Object> batch) {
        drainTo(batch, BATCH);
        int n = batch.size();
        if (n > 0) {
            write(batch);
            batch.clear();
        }
        return n;
    }

    private void refresh() {
        statsChanged = false;
        refreshedNanos = System.nanoTime();
        Listener l = listener;
        if (l != null) {
            try {
                l.refresh();
            } catch (Throwable t) {
                failed("publishing the statistics", t);
            }
        }
    }

    private synchronized void writeAll() {
        List<Object> batch = new ArrayList<>();
        drainTo(batch, Integer.MAX_VALUE);
        write(batch);
    }

    private synchronized void write(List<Object> batch) {
        Listener l = listener;
        for (Object o : batch) {
            if (l != null && o instanceof EndpointReport) {
                statsChanged = true;
                try {
                    l.reported((EndpointReport) o);
                } catch (RuntimeException | LinkageError e) {
                    // the line is written all the same
                }
            }
        }
        AppLogger app = this.app ? appLogger() : null;
        try {
            // the batch's lines into one buffer, written at once: no string made per line (the log's thread
            // shares the server's cores, so its cost per connection is the server's)
            StringBuilder lines = this.lines;
            lines.setLength(0);
            for (Object o : batch) {
                int mark = lines.length();
                try {
                    if (app != null && app.log(o instanceof Message && "warning".equals(((Message) o).level),
                            formatted(o))) {
                        continue;
                    }
                    format(lines, o);
                    lines.append('\n');
                } catch (Throwable t) {
                    // one line that cannot be made (an address whose toString throws) costs that line only
                    lines.setLength(mark);
                    dropped.incrementAndGet();
                    failed("formatting a line", t);
                }
            }
            int n = lines.length();
            if (chars.length < n) {
                chars = new char[Math.max(n, 2 * chars.length)];
            }
            lines.getChars(0, n, chars, 0);
            out.write(chars, 0, n);
            if (lines.capacity() > 1 << 20) {
                this.lines = new StringBuilder(8192);
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                out.write(format(new Message("warning", "dropped " + lost
                        + " log lines: the log output could not keep up")));
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            // the log is gone (closed pipe, full disk): keep draining so servers never wait on it, and say so
            // once where the JVM's own errors go, unless that is where the log was
            if (stamped && saidOnce.add("log output")) {
                System.err.println("outlast: warning: the log " + config.log + " failed, its lines are lost: "
                        + describe(e));
            }
        }
    }

    /**
     * The application's logger, once a class loader of its is known, on the log's thread. Looked up for each
     * batch and not kept: the logger's class would hold its loader (a few reflective calls, at most one
     * batch each 20 ms).
     */
    private AppLogger appLogger() {
        WeakReference<ClassLoader> ref = appLoader;
        ClassLoader loader = ref == null ? null : ref.get();
        if (noAppLogger || loader == null) {
            return null;
        }
        AppLogger logger = AppLogger.of(loader);
        if (logger == null) {
            noAppLogger = true;
            info("log=app: the application has no SLF4J; lines go to standard error");
        }
        return logger;
    }

    /**
     * A warning said the first time its key comes: for what repeats (a hook or a sweep failing on every
     * connection or period), so that it is said, but not each time.
     */
    public void warnOnce(String key, String message) {
        if (saidOnce.size() < SAID_ONCE_MAX && saidOnce.add(key)) {
            warn(message);
        }
    }

    /** A failure of the log's own: never silent, said once per kind. */
    private void failed(String doing, Throwable t) {
        warnOnce("log " + doing + " " + t.getClass().getName(), "the log failed " + doing + " and goes on: "
                + describe(t));
    }

    /** A throwable as text, even one whose own toString throws. */
    public static String describe(Throwable t) {
        try {
            return String.valueOf(t);
        } catch (Throwable e) {
            return t.getClass().getName();
        }
    }

    String format(Object o) {
        StringBuilder b = new StringBuilder(160);
        format(b, o);
        return b.toString();
    }

    private void format(StringBuilder b, Object o) {
        long now = o instanceof CloseEvent ? ((CloseEvent) o).timeMillis : System.currentTimeMillis();
        if (json) {
            String body;
            if (o instanceof CloseEvent) {
                CloseEvent e = (CloseEvent) o;
                body = "\"event\":\"close\",\"" + (e.client ? "client" : "server") + "\":" + Json.str(e.server) + ",\"local\":" + Json.str(Addresses.format(e.localPacked, e.local))
                        + ",\"remote\":" + Json.str(Addresses.format(e.remotePacked, e.remote)) + ",\"closer\":" + Json.str(e.closer)
                        + ",\"idle_ms\":" + e.idleMs + ",\"requests\":" + e.requests + ",\"age_ms\":" + e.ageMs
                        + (e.protocol == null ? "" : ",\"protocol\":" + Json.str(e.protocol))
                        + (e.failedAfterIdleMs < 0 ? "" : ",\"failed_after_idle_ms\":" + e.failedAfterIdleMs);
            } else if (o instanceof EndpointReport) {
                body = endpointJson((EndpointReport) o);
            } else {
                Message m = (Message) o;
                body = "\"event\":" + Json.str(m.level) + ",\"message\":" + Json.str(m.text);
            }
            b.append("{\"time\":").append(Json.str(iso(now))).append(',').append(body).append('}');
            return;
        }
        if (stamped) {
            b.append(iso(now)).append(' ');
        }
        b.append("outlast: ");
        text(b, o);
    }

    /** A line for the application's logger, which stamps and names it itself. */
    private String formatted(Object o) {
        return json ? format(o) : text(o);
    }

    private static String text(Object o) {
        StringBuilder b = new StringBuilder(128);
        text(b, o);
        return b.toString();
    }

    private static void text(StringBuilder b, Object o) {
        if (o instanceof CloseEvent) {
            CloseEvent e = (CloseEvent) o;
            b.append(e.client ? "close client=" : "close server=").append(e.server).append(" local=");
            Addresses.append(b, e.localPacked, e.local);
            b.append(" remote=");
            Addresses.append(b, e.remotePacked, e.remote);
            b.append(" closer=").append(e.closer).append(" idle_ms=").append(e.idleMs)
                    .append(" requests=").append(e.requests).append(" age_ms=").append(e.ageMs);
            if (e.protocol != null) {
                b.append(" protocol=").append(e.protocol);
            }
            if (e.failedAfterIdleMs >= 0) {
                b.append(" failed_after_idle_ms=").append(e.failedAfterIdleMs);
            }
        } else if (o instanceof EndpointReport) {
            b.append(endpointText((EndpointReport) o));
        } else {
            Message m = (Message) o;
            b.append("warning".equals(m.level) ? "warning: " : "").append(m.text);
        }
    }

    /**
     * UTC, to the millisecond. Called on the log's thread only (under {@link #write}'s lock): the part up to
     * the second is formatted once a second, a date format per line would cost more than the rest of it.
     */
    private String iso(long millis) {
        long second = Math.floorDiv(millis, 1000);
        if (second != isoSecond) {
            SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.");
            f.setTimeZone(TimeZone.getTimeZone("UTC"));
            isoPrefix = f.format(new Date(second * 1000));
            isoSecond = second;
        }
        int ms = (int) Math.floorMod(millis, 1000);
        return isoPrefix + (ms < 10 ? "00" : ms < 100 ? "0" : "") + ms + "Z";
    }

    private static final class Message {
        final String level;
        final String text;

        Message(String level, String text) {
            this.level = level;
            this.text = text;
        }
    }

    private static String endpointText(EndpointReport r) {
        return r.family + " " + r.version + " " + r.kind + " " + r.address
                + " idle " + ms(r.idleBeforeMs) + " -> " + ms(r.idleAfterMs)
                + ", header " + ms(r.headerBeforeMs) + " -> " + ms(r.headerAfterMs);
    }

    private static String endpointJson(EndpointReport r) {
        return "\"event\":\"endpoint\",\"server\":" + Json.str(r.family) + ",\"version\":" + Json.str(r.version)
                + ",\"kind\":" + Json.str(r.kind) + ",\"address\":" + Json.str(r.address)
                + ",\"idle_before_ms\":" + num(r.idleBeforeMs) + ",\"idle_after_ms\":" + num(r.idleAfterMs)
                + ",\"header_before_ms\":" + num(r.headerBeforeMs) + ",\"header_after_ms\":" + num(r.headerAfterMs);
    }

    private static String ms(long v) {
        return v < 0 ? "none" : v + "ms";
    }

    private static String num(long v) {
        return v < 0 ? "null" : Long.toString(v);
    }
}
