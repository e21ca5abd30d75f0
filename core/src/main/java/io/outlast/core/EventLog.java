package io.outlast.core;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.EventSink;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes close events and reports on its own thread. Server threads only offer to a bounded queue:
 * when the output cannot keep up, events are counted as dropped and the count is logged, rather than
 * a server thread ever waiting on a disk or a pipe.
 */
public final class EventLog extends EventSink implements Runnable {
    static final int CAPACITY = 8192;

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Writer out;
    private final boolean json;
    private final boolean stamped;
    private volatile Config config;
    private final Thread thread;

    public EventLog(Config config) throws IOException {
        this(config, open(config.log), !"stderr".equals(config.log) && !"stdout".equals(config.log));
    }

    EventLog(Config config, Writer out, boolean stamped) {
        this.config = config;
        this.json = config.json;
        this.out = out;
        this.stamped = stamped;
        this.thread = new Thread(this, "outlast-log");
        thread.setDaemon(true);
    }

    private static Writer open(String log) throws IOException {
        OutputStream target;
        if ("stderr".equals(log)) {
            target = new Unclosed(System.err);
        } else if ("stdout".equals(log)) {
            target = new Unclosed(System.out);
        } else {
            target = new FileOutputStream(log, true);
        }
        return new OutputStreamWriter(target, StandardCharsets.UTF_8);
    }

    public void start() {
        thread.start();
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(this::drain, "outlast-log-flush"));
        } catch (IllegalStateException alreadyShuttingDown) {
            // nothing to flush later
        }
    }

    @Override
    public void close(CloseEvent event) {
        if (config.logs(event.serverInitiated()) && !queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    public void report(EndpointReport report) {
        offer(report);
    }

    public void warn(String message) {
        offer(new Message("warning", message));
    }

    public void info(String message) {
        offer(new Message("info", message));
    }

    private void offer(Object line) {
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public void run() {
        List<Object> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, 1023);
            write(batch);
            batch.clear();
        }
    }

    private synchronized void drain() {
        List<Object> batch = new ArrayList<>();
        queue.drainTo(batch);
        write(batch);
    }

    private synchronized void write(List<Object> batch) {
        try {
            for (Object o : batch) {
                out.write(format(o));
                out.write('\n');
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                out.write(format(new Message("warning", "dropped " + lost
                        + " log lines: the log output could not keep up")));
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            // the log is gone (closed pipe, full disk): keep draining so servers never wait on it
        }
    }

    String format(Object o) {
        long now = o instanceof CloseEvent ? ((CloseEvent) o).timeMillis : System.currentTimeMillis();
        if (json) {
            String body;
            if (o instanceof CloseEvent) {
                CloseEvent e = (CloseEvent) o;
                body = "\"event\":\"close\",\"server\":" + Json.str(e.server) + ",\"local\":" + Json.str(e.local)
                        + ",\"remote\":" + Json.str(e.remote) + ",\"closer\":" + Json.str(e.closer)
                        + ",\"idle_ms\":" + e.idleMs + ",\"requests\":" + e.requests + ",\"age_ms\":" + e.ageMs;
            } else if (o instanceof EndpointReport) {
                body = ((EndpointReport) o).json();
            } else {
                Message m = (Message) o;
                body = "\"event\":" + Json.str(m.level) + ",\"message\":" + Json.str(m.text);
            }
            return "{\"time\":" + Json.str(iso(now)) + "," + body + "}";
        }
        String text;
        if (o instanceof CloseEvent) {
            CloseEvent e = (CloseEvent) o;
            text = "close server=" + e.server + " local=" + e.local + " remote=" + e.remote + " closer=" + e.closer
                    + " idle_ms=" + e.idleMs + " requests=" + e.requests + " age_ms=" + e.ageMs;
        } else if (o instanceof EndpointReport) {
            text = ((EndpointReport) o).text();
        } else {
            Message m = (Message) o;
            text = "warning".equals(m.level) ? "warning: " + m.text : m.text;
        }
        return stamped ? iso(now) + " outlast: " + text : "outlast: " + text;
    }

    private static String iso(long millis) {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new Date(millis));
    }

    private static final class Message {
        final String level;
        final String text;

        Message(String level, String text) {
            this.level = level;
            this.text = text;
        }
    }

    /** System.err and System.out belong to the application: flush them, never close them. */
    private static final class Unclosed extends OutputStream {
        private final PrintStream target;

        Unclosed(PrintStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            target.write(b, off, len);
        }

        @Override
        public void flush() {
            target.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
