package io.outlast.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay that delays everything by {@code delayMs} each way, as a network does: data, the FIN (a
 * half-close, passed on as one) and a reset (passed on as one). On loopback a server's FIN reaches the
 * proxy at once and the keep-alive race never shows; through this it is in flight long enough.
 */
final class DelayingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final long delayMs;
    private final AtomicInteger serverFirst = new AtomicInteger();
    private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "relay-read");
        t.setDaemon(true);
        return t;
    });

    DelayingRelay(int targetPort, long delayMs) throws IOException {
        this.listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.delayMs = delayMs;
        readers.execute(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** How many relayed connections the server ended (FIN or reset) before the client did. */
    int serverEndedFirst() {
        return serverFirst.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                AtomicBoolean ended = new AtomicBoolean();
                readers.execute(() -> pump(client, server, ended, false));
                readers.execute(() -> pump(server, client, ended, true));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Reads {@code from} and replays it on {@code to}, each piece {@code delayMs} later, in order. */
    private void pump(Socket from, Socket to, AtomicBoolean ended, boolean fromServer) {
        ScheduledExecutorService later = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "relay-write");
            t.setDaemon(true);
            return t;
        });
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[16384];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException reset) {
                    ended(ended, fromServer);
                    later.schedule(() -> reset(to), delayMs, TimeUnit.MILLISECONDS);
                    return;
                }
                if (n < 0) {
                    ended(ended, fromServer);
                    later.schedule(() -> {
                        try {
                            to.shutdownOutput();
                        } catch (IOException e) {
                            // closed already
                        }
                    }, delayMs, TimeUnit.MILLISECONDS);
                    return;
                }
                byte[] piece = Arrays.copyOf(buf, n);
                later.schedule(() -> {
                    try {
                        out.write(piece);
                        out.flush();
                    } catch (IOException e) {
                        reset(from);
                    }
                }, delayMs, TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            reset(to);
        } finally {
            later.schedule(() -> {
                if (to.isOutputShutdown() && from.isOutputShutdown() || to.isClosed()) {
                    close(from);
                    close(to);
                }
            }, delayMs + 1, TimeUnit.MILLISECONDS);
            later.shutdown();
        }
    }

    private void ended(AtomicBoolean ended, boolean fromServer) {
        if (ended.compareAndSet(false, true) && fromServer) {
            serverFirst.incrementAndGet();
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already
        }
        close(s);
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        readers.shutdownNow();
    }
}
