package io.outlast.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (from the distribution's packages, installed by scripts/setup.sh) as a reverse proxy with
 * an upstream keep-alive pool, in one process of its own, configured in a temporary directory.
 */
final class Nginx implements AutoCloseable {
    static final Path BINARY = Paths.get(System.getProperty("outlast.nginx", "/usr/sbin/nginx"));

    final int port;
    private final Process process;
    private final Path dir;

    /**
     * Proxies {@code /p<N>/...} to 127.0.0.1:{@code upstreamPort} through pool N of {@code pools}, each keeping
     * its idle upstream connections {@code keepaliveSeconds}. One pool per client keeps a client's gaps the
     * idle times of the pool's connections (a shared pool hands out the most recently used one). Over TLS
     * ({@code https}) nginx keeps the upstream's TLS sessions in its pool as it keeps plain connections; with
     * {@code grpc} it speaks HTTP/2 to the upstream ({@code grpc_pass}, the path without its pool prefix) and keeps
     * those connections as it keeps HTTP/1.1 ones.
     */
    Nginx(int upstreamPort, int keepaliveSeconds, int pools, String scheme) throws IOException, InterruptedException {
        this(new int[] {upstreamPort}, keepaliveSeconds, pools, scheme);
    }

    /**
     * Each pool over every one of {@code upstreamPorts}, round robin, as a load balancer's target group: a server that
     * refuses a connection is passed over (nginx's {@code proxy_next_upstream error}, for a POST too, which was not
     * sent), one that fails a request it was sent answers it 502.
     */
    Nginx(int[] upstreamPorts, int keepaliveSeconds, int pools, String scheme) throws IOException, InterruptedException {
        this(upstreamPorts, keepaliveSeconds, 8, pools, scheme);
    }

    /** {@code keepalive}: how many idle upstream connections each pool keeps (nginx's {@code keepalive}). */
    Nginx(int[] upstreamPorts, int keepaliveSeconds, int keepalive, int pools, String scheme)
            throws IOException, InterruptedException {
        this.port = freePort();
        this.dir = Files.createTempDirectory("outlast-nginx");
        Files.createDirectories(dir.resolve("logs"));
        String conf = String.join("\n",
                "daemon off;",
                "master_process off;",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("logs/error.log") + " warn;",
                "events { worker_connections 1024; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + dir.resolve("body") + ";",
                "  proxy_temp_path " + dir.resolve("proxy") + ";",
                upstreams(upstreamPorts, keepaliveSeconds, keepalive, pools),
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                locations(pools, scheme),
                "  }",
                "}", "");
        Path file = dir.resolve("nginx.conf");
        Files.write(file, conf.getBytes(StandardCharsets.US_ASCII));
        this.process = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/out.log").toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > end) {
                    throw new IOException("nginx did not start: " + log());
                }
                Thread.sleep(50);
            }
        }
    }

    private static String upstreams(int[] upstreamPorts, int keepaliveSeconds, int keepalive, int pools) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pools; i++) {
            b.append("  upstream app").append(i).append(" {\n");
            for (int port : upstreamPorts) {
                b.append("    server 127.0.0.1:").append(port).append(";\n");
            }
            b.append("    keepalive ").append(keepalive).append(";\n")
                    .append("    keepalive_timeout ").append(keepaliveSeconds).append("s;\n")
                    .append("  }\n");
        }
        return b.toString();
    }

    private static String locations(int pools, String scheme) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pools; i++) {
            b.append("    location /p").append(i).append("/ {\n");
            if (scheme.startsWith("grpc")) {
                b.append("      rewrite ^/p").append(i).append("(/.*)$ $1 break;\n")
                        .append("      grpc_pass ").append(scheme).append("://app").append(i).append(";\n");
            } else {
                b.append("      proxy_pass ").append(scheme).append("://app").append(i).append(";\n")
                        .append("      proxy_http_version 1.1;\n")
                        .append("      proxy_set_header Connection \"\";\n");
            }
            b.append("    }\n");
        }
        return b.toString();
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** What nginx logged (its error log: the upstream failures behind each 502). */
    String log() throws IOException {
        Path error = dir.resolve("logs/error.log");
        Path out = dir.resolve("logs/out.log");
        return (Files.exists(error) ? Files.readString(error) : "") + (Files.exists(out) ? Files.readString(out) : "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        TempDirs.delete(dir);
    }
}
