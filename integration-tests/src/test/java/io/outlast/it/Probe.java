package io.outlast.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * A plain socket client that measures, from outside, when the server closes a connection. Closed means
 * the read side saw the end of the stream or a reset; the time is taken the moment that happens.
 */
final class Probe implements AutoCloseable {
    static final long NEVER = -1;

    final Socket socket;
    /** The TCP socket, under TLS where the probe speaks it. */
    private final Socket plain;
    private final InputStream in;
    private final OutputStream out;

    Probe(int port) throws IOException {
        this(port, false);
    }

    /** Over TLS, the handshake done before this returns: the connection is then as a proxy pools it. */
    Probe(int port, boolean tls) throws IOException {
        plain = new Socket("127.0.0.1", port);
        plain.setTcpNoDelay(true);
        if (tls) {
            SSLSocket secure = (SSLSocket) TlsKeys.trustingClient().getSocketFactory()
                    .createSocket(plain, "127.0.0.1", port, true);
            secure.setSoTimeout(10_000);
            secure.startHandshake();
            socket = secure;
        } else {
            socket = plain;
        }
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A connection to the server, over TLS if it serves TLS. */
    static Probe to(ServerProcess server) throws IOException {
        return new Probe(server.port, server.tls);
    }

    int localPort() {
        return socket.getLocalPort();
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One GET, and its whole response (headers and a Content-Length body). */
    String request(boolean close) throws IOException {
        return get("/", close);
    }

    /** One GET of {@code path}, and its whole response. */
    String get(String path, boolean close) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: probe\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n");
        return response();
    }

    /** Upgrades the connection to a WebSocket at {@code path}; returns when the server's 101 has arrived. */
    void webSocket(String path) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: probe\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        String head = head();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("not upgraded: " + head);
        }
    }

    /**
     * Milliseconds from {@code startNanos} until the server closes a WebSocket: its close frame (a server may
     * wait for the client's before it closes the socket, as Tomcat does) or the end of the stream;
     * {@link #NEVER} within {@code maxMs}.
     */
    long webSocketClosedAfter(long startNanos, long maxMs) throws IOException {
        long left = maxMs - elapsedMs(startNanos);
        if (left <= 0) {
            return NEVER;
        }
        socket.setSoTimeout((int) Math.max(1, left));
        int b;
        try {
            b = in.read();
        } catch (SocketTimeoutException e) {
            return NEVER;
        } catch (IOException reset) {
            return elapsedMs(startNanos);
        }
        long ms = elapsedMs(startNanos);
        if (b >= 0 && b != 0x88) {
            throw new IOException("a frame other than close from an idle WebSocket: 0x" + Integer.toHexString(b));
        }
        return ms;
    }

    /** The next response, whole (headers and a Content-Length body); it must be a 200. */
    String response() throws IOException {
        String headers = head();
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        if (!headers.startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected response: " + headers);
        }
        return headers + new String(body, StandardCharsets.US_ASCII);
    }

    /** The next response's status line and headers. */
    String head() throws IOException {
        socket.setSoTimeout(10_000);
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a response: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Milliseconds from {@code startNanos} until the server closes, or {@link #NEVER} within {@code maxMs}. */
    long closedAfter(long startNanos, long maxMs) throws IOException {
        byte[] buf = new byte[512];
        while (true) {
            long left = maxMs - elapsedMs(startNanos);
            if (left <= 0) {
                return NEVER;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                if (in.read(buf) < 0) {
                    return elapsedMs(startNanos);
                }
            } catch (SocketTimeoutException e) {
                return NEVER;
            } catch (IOException reset) {
                return elapsedMs(startNanos);
            }
        }
    }

    /**
     * Sends a request header one byte every {@code intervalMs}, never finishing it, and returns the ms from
     * the first byte until the server closes, or {@link #NEVER} within {@code maxMs}.
     */
    long slowHeaderClosedAfter(long intervalMs, long maxMs) throws IOException {
        byte[] header = ("GET / HTTP/1.1\r\nHost: probe\r\nX-Slow: " + "a".repeat(10_000))
                .getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        for (byte b : header) {
            try {
                out.write(b);
                out.flush();
            } catch (IOException closed) {
                return elapsedMs(start);
            }
            long next = elapsedMs(start) + intervalMs;
            long closed = closedAfter(start, Math.min(next, maxMs));
            if (closed != NEVER) {
                return closed;
            }
            if (elapsedMs(start) >= maxMs) {
                return NEVER;
            }
        }
        return NEVER;
    }

    /** Closes with a reset (RST) instead of a FIN, as a crashed client or a balancer's reaper does. */
    void reset() throws IOException {
        // the TCP socket itself: TLS's close would say close_notify first, an orderly close
        plain.setSoLinger(true, 0);
        plain.close();
    }

    static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
