package io.outlast.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's cost, measured side by side (with and without it, alternating) and printed: start-up,
 * throughput (wrk, kept-alive and a connection per request with close events logged to a file), attach
 * time, memory per open connection and its return to zero. Not a test: {@code scripts/bench.sh [startup]
 * [throughput] [attach] [memory]} runs it (all four without arguments).
 */
public final class Benchmark {
    private static final String AGENT = "proxy=aws-alb";
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 10);
        System.out.println("# outlast benchmark: " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        java.util.Set<String> only = new java.util.HashSet<>(List.of(args));
        if (only.isEmpty() || only.contains("startup")) {
            for (String app : new String[] {"jetty-12.0", "spring-boot-tomcat"}) {
                startup(app, runs);
            }
        }
        if (only.isEmpty() || only.contains("throughput")) {
            String apps = System.getProperty("bench.apps", "jetty-12.0,tomcat-10.1,netty-4.1");
            for (String app : apps.split(",")) {
                throughput(app);
            }
        }
        if (only.isEmpty() || only.contains("attach")) {
            attach("jetty-12.0");
        }
        if (only.isEmpty() || only.contains("memory")) {
            memory("jetty-12.0", 2000, 100_000);
        }
    }

    // --- start-up ---

    static void startup(String app, int runs) throws Exception {
        List<Long> without = new ArrayList<>();
        List<Long> with = new ArrayList<>();
        launchToFirstResponse(app, null);
        launchToFirstResponse(app, AGENT);
        for (int i = 0; i < runs; i++) {
            without.add(launchToFirstResponse(app, null));
            with.add(launchToFirstResponse(app, AGENT));
        }
        long a = median(without);
        long b = median(with);
        System.out.printf(Locale.ROOT, "startup %-20s launch to first response, median of %d: without %d ms, with %d ms,"
                + " added %+d ms%n", app, runs, a, b, b - a);
    }

    /** Milliseconds from launching the JVM until the app answers its first request. */
    static long launchToFirstResponse(String app, String agent) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Jdk.JDK17.java().toString(), "-Xshare:auto"));
        if (agent != null) {
            cmd.add("-javaagent:" + ServerProcess.AGENT_JAR + "=" + agent);
        }
        cmd.addAll(List.of("-jar", ServerProcess.APPS.resolve(app).resolve("target/app.jar").toString()));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            int port = -1;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY port=")) {
                    port = Integer.parseInt(line.substring("READY port=".length()).trim());
                    break;
                }
            }
            if (port < 0) {
                throw new IOException(app + " did not start");
            }
            try (Probe probe = new Probe(port)) {
                probe.request(true);
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    // --- throughput ---

    static void throughput(String app) throws Exception {
        Path log = Files.createTempFile("outlast-bench", ".log");
        double[] keepAlive = new double[2];
        double[] perRequest = new double[2];
        int rounds = Integer.getInteger("bench.rounds", 3);
        for (int round = 0; round < rounds; round++) {
            for (int agent = 0; agent < 2; agent++) {
                // -Dbench.agent=enabled=false measures the method itself (an A/A run: the agent loaded, doing nothing)
                String with = System.getProperty("bench.agent", AGENT + ",log=" + log);
                try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, agent == 0 ? null : with)) {
                    String url = "http://127.0.0.1:" + server.port + "/";
                    wrk(url, 3, false);
                    keepAlive[agent] += wrk(url, 10, false);
                    perRequest[agent] += wrk(url, 10, true);
                }
            }
        }
        long lines;
        try (java.util.stream.Stream<String> l = Files.lines(log)) {
            lines = l.count();
        }
        Files.delete(log);
        System.out.printf(Locale.ROOT, "throughput %-17s kept-alive: without %.0f req/s, with %.0f req/s, ratio %.3f"
                        + " (goal >= 0.99)%n", app, keepAlive[0] / rounds, keepAlive[1] / rounds, keepAlive[1] / keepAlive[0]);
        System.out.printf(Locale.ROOT, "throughput %-17s new connection per request, closes logged to a file (%d lines):"
                        + " without %.0f req/s, with %.0f req/s, ratio %.3f (goal >= 0.95)%n", app, lines,
                perRequest[0] / rounds, perRequest[1] / rounds, perRequest[1] / perRequest[0]);
    }

    /** Requests per second wrk measured: 2 threads, 32 connections (each request on its own if {@code close}). */
    static double wrk(String url, int seconds, boolean close) throws Exception {
        List<String> cmd = new ArrayList<>();
        String cpus = System.getProperty("outlast.wrk.cpus");
        if (cpus != null) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.addAll(List.of("wrk", "-t2", "-c32", "-d" + seconds + "s"));
        if (close) {
            cmd.addAll(List.of("-H", "Connection: close"));
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = RPS.matcher(out);
        if (!m.find()) {
            throw new IOException("wrk: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    // --- attach ---

    static void attach(String app) throws Exception {
        List<Long> bare = new ArrayList<>();
        List<Long> full = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, null, "-Dapp.idle=30000")) {
                String pid = Long.toString(server.process.pid());
                // the JVM's own attach, and the command line's start: attach, read properties, detach
                long t0 = System.nanoTime();
                ServerProcess.cli(Jdk.JDK17, "status", pid);
                bare.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                long t1 = System.nanoTime();
                server.attach("idle=2s");
                // in force: a new connection closes at the new idle (the measure ends when the command returns,
                // the check below only proves it)
                full.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1));
                try (Probe probe = new Probe(server.port)) {
                    probe.request(false);
                    long closed = probe.closedAfter(System.nanoTime(), 5000);
                    if (closed < 1700 || closed > 3000) {
                        throw new IllegalStateException("new idle not in force after attach: closed after " + closed);
                    }
                }
            }
        }
        long a = median(bare);
        long b = median(full);
        System.out.printf(Locale.ROOT, "attach %-22s command to new timeout in force, median of 5: %d ms; the JVM's own"
                + " attach and the command's start: %d ms; the agent's part: %d ms%n", app, b, a, b - a);
    }

    // --- memory ---

    static void memory(String app, int open, int churn) throws Exception {
        long[] used = new long[2];
        for (int agent = 0; agent < 2; agent++) {
            try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, agent == 0 ? null : "idle=10m,log.closes=none")) {
                long before = heapUsed(server);
                List<Probe> probes = new ArrayList<>();
                for (int i = 0; i < open; i++) {
                    Probe p = new Probe(server.port);
                    p.request(false);
                    probes.add(p);
                }
                used[agent] = heapUsed(server) - before;
                for (Probe p : probes) {
                    p.close();
                }
                if (agent == 1) {
                    churn(server.port, churn);
                    Thread.sleep(1000);
                    ServerProcess.CliResult status = ServerProcess.cli(Jdk.JDK17, "status", Long.toString(server.process.pid()));
                    String followed = status.output().lines().filter(l -> l.startsWith("open connections followed"))
                            .findFirst().orElse(status.output());
                    System.out.printf(Locale.ROOT, "memory %-22s after %d more connections opened and closed: %s%n", app,
                            churn, followed);
                }
            }
        }
        System.out.printf(Locale.ROOT, "memory %-22s heap per open connection: without %d bytes, with %d bytes, the"
                + " agent's %+d bytes (%d connections)%n", app, used[0] / open, used[1] / open, (used[1] - used[0]) / open, open);
    }

    /** Heap in use after a full collection, from the JVM's own class histogram (jcmd runs one first). */
    static long heapUsed(ServerProcess server) throws Exception {
        Path jcmd = Jdk.JDK17.home().resolve("bin/jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(server.process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("Total\\s+\\d+\\s+(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IOException("jcmd: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    static void churn(int port, int connections) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            parts.add(pool.submit(() -> {
                for (int i = 0; i < connections / 8; i++) {
                    try (Probe p = new Probe(port)) {
                        p.request(true);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : parts) {
            f.get();
        }
        pool.shutdown();
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
