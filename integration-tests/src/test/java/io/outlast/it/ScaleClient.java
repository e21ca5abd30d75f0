package io.outlast.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Tens of thousands of kept-alive connections from one thread: each opened, answered once, then left idle (or, for
 * the stalled ones, sent the start of a second request's header and nothing more), and watched for the server's
 * end of it. Loopback source addresses 127.0.0.2, .3, ... spread them so that no address runs out of ports.
 */
final class ScaleClient implements AutoCloseable {
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: scale\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PARTIAL = "GET / HTTP/1.1\r\nHost: scale\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int PER_SOURCE_ADDRESS = 20_000;
    private static final int IN_FLIGHT = 256;
    /** Requests at a time when the connections are asked again: few, so that each answer is read as it comes. */
    private static final int IN_FLIGHT_QUIET = 32;
    /**
     * Connections asked again per second: their ends come as spread out a timeout later, and the thread that times
     * them keeps up (asked all at once, 10,000 ended within a second or two, and closing each here held up the timing
     * of the next: the last were timed 0.36 s after they ended).
     */
    private static final int ASKED_PER_S = 1000;
    /**
     * The next loopback source address: each run takes fresh ones, since the last run's client-side closes hold their
     * ports (TIME_WAIT) for a minute.
     */
    private static int nextAddress = 2;

    /** One connection: when it was answered (or its header stalled), and when the server ended it (0: open). */
    static final class Conn {
        final boolean stall;
        final StringBuilder response = new StringBuilder();
        /** A request sent whose answer has not been read whole. */
        boolean pending;
        long answeredNanos;
        long stalledNanos;
        long endedNanos;

        Conn(boolean stall) {
            this.stall = stall;
        }

        /** Whence the server's timeout runs: the response's end, or the stalled header's first byte. */
        long fromNanos() {
            return stall ? stalledNanos : answeredNanos;
        }
    }

    private final Selector selector;
    private final List<Conn> conns = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);
    private volatile boolean watching;
    /** While connections are asked again: a stalled one then sends the start of a header. */
    private boolean stallOnAnswer;
    private Thread watcher;

    ScaleClient() throws IOException {
        selector = Selector.open();
    }

    /**
     * Opens {@code n} connections, each answered once; then asks each again, a few at a time and 1,000 a second, so that the answer each
     * idle wait starts from is read as it comes (while thousands open, an answer waits its turn in this thread, and
     * the wait measured from it would look short). {@code stalled} of them (spread evenly) then send a header's first
     * line and nothing more. Returns once every one is answered (and every stalled header sent).
     */
    void open(int port, int n, int stalled) throws IOException {
        int every = stalled > 0 ? Math.max(1, n / stalled) : Integer.MAX_VALUE;
        int first = nextAddress;
        nextAddress += (n + PER_SOURCE_ADDRESS - 1) / PER_SOURCE_ADDRESS;
        int started = 0;
        int done = 0;
        long lastProgress = System.nanoTime();
        while (done < n) {
            while (started < n && started - done < IN_FLIGHT) {
                Conn c = new Conn(stalled > 0 && started % every == 0 && started / every < stalled);
                SocketChannel ch = SocketChannel.open();
                ch.bind(new InetSocketAddress("127.0.0." + (first + started / PER_SOURCE_ADDRESS), 0));
                ch.configureBlocking(false);
                ch.connect(new InetSocketAddress("127.0.0.1", port));
                c.pending = true;
                ch.register(selector, SelectionKey.OP_CONNECT, c);
                conns.add(c);
                started++;
            }
            done += await(started - done, lastProgress, done, n);
            lastProgress = System.nanoTime();
        }
        stallOnAnswer = true;
        List<SelectionKey> keys = new ArrayList<>(selector.keys());
        int asked = 0;
        done = 0;
        long askedFrom = System.nanoTime();
        while (done < keys.size()) {
            long due = IN_FLIGHT_QUIET + (System.nanoTime() - askedFrom) * ASKED_PER_S / TimeUnit.SECONDS.toNanos(1);
            while (asked < keys.size() && asked - done < IN_FLIGHT_QUIET && asked < due) {
                SelectionKey key = keys.get(asked++);
                Conn c = (Conn) key.attachment();
                if (c.endedNanos == 0) {
                    c.pending = true;
                    ((SocketChannel) key.channel()).write(ByteBuffer.wrap(REQUEST));
                } else {
                    done++;
                }
            }
            if (asked == done) {
                sleepQuietly(1); // ahead of the pace
                continue;
            }
            done += await(asked - done, lastProgress, done, n);
            lastProgress = System.nanoTime();
        }
        stallOnAnswer = false;
    }

    private static void sleepQuietly(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** One select's answers (connections answered, or ended unanswered); fails after 30 s without any. */
    private int await(int inFlight, long lastProgress, int done, int n) throws IOException {
        if (inFlight == 0) {
            return 0;
        }
        while (selector.select(100) == 0) {
            if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(30)) {
                throw new IOException("no progress for 30 s: " + done + " of " + n + " connections answered");
            }
        }
        int answered = 0;
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            if (step(key)) {
                answered++;
            }
        }
        return answered;
    }

    /** One readiness; true when the connection has just been answered (or has ended before that). */
    private boolean step(SelectionKey key) throws IOException {
        Conn c = (Conn) key.attachment();
        SocketChannel ch = (SocketChannel) key.channel();
        try {
            if (key.isConnectable()) {
                ch.finishConnect();
                ch.write(ByteBuffer.wrap(REQUEST));
                key.interestOps(SelectionKey.OP_READ);
                return false;
            }
            buffer.clear();
            int read = ch.read(buffer);
            if (read < 0) {
                return ended(key, c);
            }
            if (!c.pending) {
                return false; // nothing is expected after the answer
            }
            c.response.append(new String(buffer.array(), 0, read, StandardCharsets.ISO_8859_1));
            if (!complete(c.response)) {
                return false;
            }
            c.answeredNanos = System.nanoTime();
            c.pending = false;
            if (c.stall && stallOnAnswer) {
                ch.write(ByteBuffer.wrap(PARTIAL));
                c.stalledNanos = System.nanoTime();
            }
            c.response.setLength(0);
            c.response.trimToSize();
            return true;
        } catch (IOException e) {
            return ended(key, c);
        }
    }

    private boolean ended(SelectionKey key, Conn c) throws IOException {
        boolean unanswered = c.endedNanos == 0 && c.pending;
        c.endedNanos = System.nanoTime();
        key.cancel();
        key.channel().close();
        return unanswered;
    }

    /** A response whole: its head, and as much body as its Content-Length says (or a chunked body's last chunk). */
    private static boolean complete(StringBuilder r) {
        int head = r.indexOf("\r\n\r\n");
        if (head < 0) {
            return false;
        }
        String lower = r.substring(0, head).toLowerCase(Locale.ROOT);
        int cl = lower.indexOf("content-length:");
        if (cl >= 0) {
            int end = lower.indexOf("\r\n", cl);
            int length = Integer.parseInt(lower.substring(cl + 15, end < 0 ? lower.length() : end).trim());
            return r.length() >= head + 4 + length;
        }
        return !lower.contains("chunked") || r.indexOf("0\r\n\r\n", head) >= 0;
    }

    /** From now on a thread of its own records each end. */
    void watch() {
        watching = true;
        watcher = new Thread(() -> {
            while (watching) {
                try {
                    if (selector.select(100) == 0) {
                        continue;
                    }
                    for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                        SelectionKey key = it.next();
                        it.remove();
                        step(key);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "scale-watcher");
        watcher.start();
    }

    /** Waits until every connection has ended or {@code deadlineNanos} has passed; returns how many are still open. */
    int awaitEnds(long deadlineNanos) throws InterruptedException {
        while (true) {
            int open = open();
            if (open == 0 || System.nanoTime() >= deadlineNanos) {
                return open;
            }
            Thread.sleep(100);
        }
    }

    int open() {
        synchronized (conns) {
            int open = 0;
            for (Conn c : conns) {
                if (c.endedNanos == 0) {
                    open++;
                }
            }
            return open;
        }
    }

    List<Conn> conns() {
        return conns;
    }

    /** The latest answer or stalled header: the last timeout to run out starts here. */
    long lastFromNanos() {
        long last = 0;
        for (Conn c : conns) {
            last = Math.max(last, c.fromNanos());
        }
        return last;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        watching = false;
        if (watcher != null) {
            watcher.join(5000);
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
