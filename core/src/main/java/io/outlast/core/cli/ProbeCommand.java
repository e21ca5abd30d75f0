package io.outlast.core.cli;

import io.outlast.core.settings.Config;
import io.outlast.core.settings.ConfigException;
import io.outlast.core.settings.Durations;
import io.outlast.core.settings.ProxyPresets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code probe <host:port> [path] [--proxy P] [--max D]}: measures from outside, with no agent involved,
 * when a server closes an idle keep-alive connection, a connection that never sends a request, and an
 * unfinished request header; and says whether the idle wait outlasts a proxy's. Any HTTP/1.1 server.
 * Exit codes: 0 measured (and outlasts the proxy, if one is given), 3 does not outlast it, 1 failed, 2 usage.
 */
final class ProbeCommand {
    static final String USAGE = "probe <host:port> [path] [--proxy <preset|duration>] [--max <duration, default 2m>]";
    static final int DOES_NOT_OUTLAST = 3;

    /** What one probe connection saw: ms until the server closed, -1 for never within the limit. */
    private static final class Outcome {
        final long closedAfterMs;
        final String note;

        Outcome(long closedAfterMs, String note) {
            this.closedAfterMs = closedAfterMs;
            this.note = note;
        }
    }

    private ProbeCommand() {
    }

    static int run(List<String> a, PrintStream out, PrintStream err) {
        String target = null;
        String path = "/";
        long proxyMs = -1;
        String proxyName = null;
        long maxMs = 120_000;
        InetSocketAddress address;
        String host;
        try {
            for (int i = 0; i < a.size(); i++) {
                String arg = a.get(i);
                if (arg.equals("--proxy") || arg.equals("--max")) {
                    if (i + 1 >= a.size() || a.get(i + 1).startsWith("--")) {
                        throw new IllegalArgumentException(arg + " needs a value: " + (arg.equals("--proxy")
                                ? "a duration (60s) or one of: " + String.join(", ", ProxyPresets.PRESETS.keySet())
                                : "a duration (2m)"));
                    }
                    String value = a.get(++i);
                    if (arg.equals("--proxy")) {
                        // the same words as attach and -javaagent give for the same value
                        Config c = Config.fromArguments("proxy=" + value);
                        proxyName = c.proxyName;
                        proxyMs = c.proxyMs;
                    } else {
                        maxMs = Durations.parse(value);
                    }
                } else if (arg.startsWith("--")) {
                    throw new IllegalArgumentException("unknown option " + arg + "; options: --proxy, --max");
                } else if (target == null) {
                    target = arg;
                } else {
                    path = arg.startsWith("/") ? arg : "/" + arg;
                }
            }
            if (target == null || target.lastIndexOf(':') < 1) {
                throw new IllegalArgumentException("needs <host:port>" + (target == null ? "" : ", not " + target));
            }
            host = target.substring(0, target.lastIndexOf(':'));
            String portText = target.substring(target.lastIndexOf(':') + 1);
            int port;
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + portText + "' in " + target + " is not a port (1-65535)");
            }
            address = new InetSocketAddress(host, port);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("outlast: probe: " + e.getMessage() + "\nusage: java -jar outlast-agent.jar " + USAGE);
            return 2;
        }
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: outlast-probe\r\n";
        long limit = maxMs;
        out.println("outlast probe " + target + path + " (waiting up to " + Durations.format(maxMs) + ")");
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "outlast-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Outcome> idle = pool.submit(() -> afterResponse(address, request + "\r\n", limit));
            Future<Outcome> fresh = pool.submit(() -> untilClosed(address, null, limit));
            Future<Outcome> header = pool.submit(() -> untilClosed(address, request, limit));
            Outcome i = idle.get();
            report(out, "idle after a response", i, maxMs);
            report(out, "before a first request", fresh.get(), maxMs);
            report(out, "unfinished header", header.get(), maxMs);
            if (proxyMs < 0) {
                return 0;
            }
            String proxy = "proxy " + proxyName + " (idle " + Durations.format(proxyMs) + ")";
            if (i.closedAfterMs < 0) {
                out.println(proxy + ": outlasted, the server kept the idle connection open longer than "
                        + Durations.format(maxMs));
                return maxMs > proxyMs ? 0 : DOES_NOT_OUTLAST;
            }
            if (i.closedAfterMs > proxyMs) {
                out.println(proxy + ": outlasted, the server's idle (" + seconds(i.closedAfterMs) + ") is longer");
                return 0;
            }
            out.println(proxy + ": NOT outlasted, the server closes idle connections first (" + seconds(i.closedAfterMs)
                    + "); the proxy may send a request on a closing connection (502); set idle to "
                    + Durations.format(proxyMs + Config.DEFAULT_MARGIN_MS) + " or more");
            return DOES_NOT_OUTLAST;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            err.println("outlast: probe: " + target + ": " + cause);
            return 1;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void report(PrintStream out, String what, Outcome o, long maxMs) {
        out.println(what + ": " + (o.closedAfterMs < 0 ? "still open after " + Durations.format(maxMs)
                : "closed by the server after " + seconds(o.closedAfterMs)) + (o.note == null ? "" : " (" + o.note + ")"));
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** One request, its whole response, then the wait. */
    private static Outcome afterResponse(InetSocketAddress address, String request, long maxMs) throws IOException {
        try (Socket s = connect(address)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            s.setSoTimeout(30_000);
            String head = head(in);
            if (head.isEmpty()) {
                throw new IOException("closed before answering " + request.trim());
            }
            readBody(in, head);
            String status = head.substring(0, head.indexOf("\r\n"));
            if (head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close")) {
                return new Outcome(0, status + ", Connection: close: no keep-alive");
            }
            return waitForClose(s, System.nanoTime(), maxMs, status);
        }
    }

    /** Sends {@code partial} (nothing if null) and waits; a response the server sends on closing is noted. */
    private static Outcome untilClosed(InetSocketAddress address, String partial, long maxMs) throws IOException {
        try (Socket s = connect(address)) {
            long start = System.nanoTime();
            if (partial != null) {
                OutputStream o = s.getOutputStream();
                o.write(partial.getBytes(StandardCharsets.US_ASCII));
                o.flush();
            }
            return waitForClose(s, start, maxMs, null);
        }
    }

    private static Outcome waitForClose(Socket s, long startNanos, long maxMs, String note) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        String answered = null;
        while (true) {
            long left = maxMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            if (left <= 0) {
                return new Outcome(-1, note);
            }
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            try {
                int n = in.read(buf);
                if (n < 0) {
                    return new Outcome(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                            answered != null ? "answered " + answered + " first" : note);
                }
                if (answered == null) {
                    String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                    int eol = text.indexOf("\r\n");
                    answered = eol > 0 ? text.substring(0, eol) : text.trim();
                }
            } catch (SocketTimeoutException e) {
                return new Outcome(-1, note);
            } catch (IOException reset) {
                return new Outcome(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), "reset");
            }
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 10_000);
        return s;
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString("ISO-8859-1").endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString("ISO-8859-1");
    }

    /** A Content-Length or chunked body, read and dropped. */
    private static void readBody(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        int cl = lower.indexOf("\r\ncontent-length:");
        if (cl >= 0) {
            int end = lower.indexOf("\r\n", cl + 2);
            long length = Long.parseLong(lower.substring(cl + "\r\ncontent-length:".length(), end).trim());
            for (long i = 0; i < length; i++) {
                if (in.read() < 0) {
                    return;
                }
            }
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (true) {
                String size = line(in);
                int semi = size.indexOf(';');
                long n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (n == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    return;
                }
                for (long i = 0; i < n; i++) {
                    in.read();
                }
                line(in);
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
