package io.outlast.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal HTTP/2 client that measures, from outside, when and how the server ends a connection: prior
 * knowledge over plain text (h2c) or an HTTP/1.1 Upgrade to it, ALPN {@code h2} over TLS. It sends GETs on streams 1, 3, ..., answers
 * SETTINGS and PING, and records the GOAWAYs the server sends before it closes.
 */
final class H2Probe implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int SETTINGS = 4;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final int END_STREAM = 1;
    private static final int ACK = 1;

    private final Socket socket;
    private final boolean tls;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextStream = 1;
    private boolean upgraded;

    /**
     * What the end of a connection looked like: a GOAWAY first (when), the last GOAWAY's stream and error code, then
     * the end of the stream.
     */
    record Ended(long goAwayMs, int lastStreamId, long errorCode, long closedMs, boolean reset) {
        static final long NONE = -1;
    }

    H2Probe(ServerProcess server) throws IOException {
        Socket plain = new Socket("127.0.0.1", server.port);
        plain.setTcpNoDelay(true);
        if (server.tls) {
            SSLSocket secure = (SSLSocket) TlsKeys.trustingClient().getSocketFactory()
                    .createSocket(plain, "127.0.0.1", server.port, true);
            SSLParameters p = secure.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2"});
            secure.setSSLParameters(p);
            secure.setSoTimeout(10_000);
            secure.startHandshake();
            if (!"h2".equals(secure.getApplicationProtocol())) {
                throw new IOException("the server did not choose h2 by ALPN: " + secure.getApplicationProtocol());
            }
            socket = secure;
        } else {
            socket = plain;
        }
        tls = server.tls;
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        if (server.h2cByUpgrade) {
            upgrade();
        }
        out.write(PREFACE);
        frame(SETTINGS, 0, 0, new byte[0]);
        out.flush();
    }

    /**
     * h2c by an HTTP/1.1 Upgrade (RFC 7540 3.2): a GET asks for it, the server switches (101) and answers that GET as
     * stream 1 over HTTP/2, which {@link #get()} then reads.
     */
    private void upgrade() throws IOException {
        out.write(("GET / HTTP/1.1\r\nHost: probe\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: \r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed before the Upgrade's answer: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("the server did not switch to h2c: " + head);
        }
        upgraded = true;
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /** A GET on the next stream; returns once its response has ended. */
    void get() throws IOException {
        get("/");
    }

    /** A GET of {@code path} on the next stream (the Upgrade's is of /); returns once its response has ended. */
    void get(String path) throws IOException {
        int stream = nextStream;
        nextStream += 2;
        if (upgraded) {
            upgraded = false; // the Upgrade's GET is stream 1, answered now
        } else {
            headers(stream, path);
        }
        while (true) {
            Frame f = read();
            if (f == null) {
                throw new EOFException("closed before stream " + stream + " ended");
            }
            if (f.stream == stream && (f.type == DATA || f.type == HEADERS) && (f.flags & END_STREAM) != 0) {
                return;
            }
            if (f.type == GOAWAY) {
                throw new IOException("GOAWAY before stream " + stream + " ended");
            }
        }
    }

    /** A GET's HEADERS frame on {@code stream}, flushed. */
    private void headers(int stream, String path) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        // HPACK: :method GET, :scheme from the static table; :path / too, another a literal of its indexed name (4);
        // :authority a literal, not indexed (short strings: a one-byte length)
        block.write(0x82);
        block.write(tls ? 0x87 : 0x86);
        if (path.equals("/")) {
            block.write(0x84);
        } else {
            literal(block, 0x04, path);
        }
        literal(block, 0x01, "probe");
        frame(HEADERS, 0x4 | END_STREAM, stream, block.toByteArray());
        out.flush();
    }

    private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        block.write(nameIndex);
        block.write(bytes.length);
        block.write(bytes, 0, bytes.length);
    }

    /**
     * The first bytes of a HEADERS frame on the next stream, the rest never sent: a stream's header that stops
     * arriving (the HTTP/2 slow-loris).
     */
    void partialHeaders() throws IOException {
        int stream = nextStream;
        nextStream += 2;
        byte[] head = {0, 0, 16, HEADERS, 0x4 | END_STREAM, (byte) (stream >>> 24), (byte) (stream >>> 16),
                (byte) (stream >>> 8), (byte) stream, (byte) 0x82, (byte) 0x86};
        out.write(head);
        out.flush();
    }

    /** Waits up to {@code maxMs} from {@code startNanos} for the server to end the connection. */
    Ended endedAfter(long startNanos, long maxMs) throws IOException {
        return endedAfter(startNanos, maxMs, false);
    }

    /**
     * As {@link #endedAfter(long, long)}; with {@code streamInFlight}, a GET is sent on a new stream the moment the
     * first GOAWAY is read, as a proxy's stream already on its way would arrive.
     */
    Ended endedAfter(long startNanos, long maxMs, boolean streamInFlight) throws IOException {
        long goAwayMs = Ended.NONE;
        int last = -1;
        long code = -1;
        while (true) {
            long left = maxMs - elapsedMs(startNanos);
            if (left <= 0) {
                return new Ended(goAwayMs, last, code, Ended.NONE, false);
            }
            socket.setSoTimeout((int) left);
            Frame f;
            try {
                f = read();
            } catch (SocketTimeoutException e) {
                return new Ended(goAwayMs, last, code, Ended.NONE, false);
            } catch (SocketException e) {
                return new Ended(goAwayMs, last, code, elapsedMs(startNanos), true); // a reset: closed too
            }
            if (f == null) {
                return new Ended(goAwayMs, last, code, elapsedMs(startNanos), false);
            }
            if (f.type == GOAWAY) {
                boolean first = goAwayMs == Ended.NONE;
                // the first's time; the last's stream and code (a graceful shutdown's first says 2^31-1, all)
                goAwayMs = first ? elapsedMs(startNanos) : goAwayMs;
                last = ((f.payload[0] & 0x7f) << 24) | ((f.payload[1] & 0xff) << 16) | ((f.payload[2] & 0xff) << 8)
                        | (f.payload[3] & 0xff);
                code = ((long) (f.payload[4] & 0xff) << 24) | ((f.payload[5] & 0xff) << 16) | ((f.payload[6] & 0xff) << 8)
                        | (f.payload[7] & 0xff);
                if (first && streamInFlight) {
                    try {
                        headers(nextStream, "/");
                        nextStream += 2;
                    } catch (SocketException e) {
                        return new Ended(goAwayMs, last, code, elapsedMs(startNanos), true); // met a reset
                    }
                }
            }
        }
    }

    private record Frame(int type, int flags, int stream, byte[] payload) {
    }

    /** The next frame, SETTINGS and PING answered on the way; null at the end of the stream. */
    private Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int length = (b0 << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == SETTINGS && (flags & ACK) == 0) {
            frame(SETTINGS, ACK, 0, new byte[0]);
            out.flush();
        } else if (type == PING && (flags & ACK) == 0) {
            frame(PING, ACK, 0, payload);
            out.flush();
        }
        return new Frame(type, flags, stream, payload);
    }

    private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
                (byte) stream};
        out.write(head);
        out.write(payload);
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
