package io.outlast.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent at scale ({@code scripts/bench.sh scale}): many idle kept-alive connections on one server, with the agent
 * ({@code proxy=aws-alb}: idle 65 s, header 66 s) and without, side by side. Per family and connection count: the
 * CPU spent while nothing happens (thread by thread), heap per connection after a full GC, every idle close and
 * every stalled header's close timed from outside, the agent's tables after the last close, and what an attach to
 * the loaded server costs a server thread (the longest wait of requests sent meanwhile) and how long until every
 * open connection is followed.
 */
final class Scale {
    private static final String AGENT = "proxy=aws-alb";
    private static final long IDLE_MS = 65_000;
    private static final long HEADER_MS = 66_000;
    /** How late a close may be and still count as on time: the 1 s. */
    private static final long ON_TIME_MS = 1_000;
    /**
     * How early a close may look and still count as on time: the answer's time is read here after the server wrote
     * it, and a server's timer may round to its millisecond (Jetty's fire up to 3 ms before, measured).
     */
    private static final long CLOCKS_MS = 10;
    private static final int CPU_WINDOW_S = 20;
    private static final Pattern FOLLOWED = Pattern.compile("open connections followed: (.*)");

    private Scale() {
    }

    /** Connections the machine lets one process hold: its open-file limit, less what a JVM keeps open itself. */
    static int machineLimit() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "ulimit -n").start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(out) - 1000;
    }

    static void run(String app, int wanted, int stalled) throws Exception {
        int limit = machineLimit();
        int n = Math.min(wanted, limit);
        if (n < wanted) {
            System.out.printf(Locale.ROOT, "scale %-14s %d connections need an open-file limit above %d; this machine's is"
                    + " %d (ulimit -n): %d instead%n", app, wanted, wanted + 1000, limit + 1000, n);
        }
        stalled = Math.min(stalled, n / 10);
        if ("attach".equals(System.getProperty("bench.scale.only"))) {
            attach(app, n);
            return;
        }
        Idle bare = idle(app, n, stalled, null);
        Idle with = idle(app, n, stalled, AGENT);
        System.out.printf(Locale.ROOT, "scale %-14s %6d connections: opened in %.1f s (without %.1f s); CPU while idle: without %.2f ms/s, with"
                        + " %.2f ms/s (%s); heap per connection: without %d B, with %d B, the agent's %+d B%n", app, n,
                with.openMs / 1000.0, bare.openMs / 1000.0, bare.cpuMsPerS, with.cpuMsPerS, with.byThread, bare.heapPerConn, with.heapPerConn,
                with.heapPerConn - bare.heapPerConn);
        System.out.printf(Locale.ROOT, "scale %-14s %6d connections: the agent's heap per connection by class: %s%n", app, n,
                heapByClass(bare.bytesByClass, with.bytesByClass, n));
        System.out.printf(Locale.ROOT, "scale %-14s %6d connections: idle closes %s; stalled headers %s; after the last close: %s%n",
                app, n, with.idleCloses, with.headerCloses, with.followedAfter);
        attach(app, n);
    }

    private record Idle(long openMs, double cpuMsPerS, String byThread, long heapPerConn, Map<String, Long> bytesByClass,
                        String idleCloses, String headerCloses, String followedAfter) {
    }

    /** The classes whose heap grew most with the agent than without, per connection (those of 8 B or more). */
    private static String heapByClass(Map<String, Long> bare, Map<String, Long> with, int n) {
        Map<String, Long> diff = new TreeMap<>();
        with.forEach((c, b) -> diff.put(c, (b - bare.getOrDefault(c, 0L)) / n));
        bare.forEach((c, b) -> diff.putIfAbsent(c, -b / n));
        StringBuilder out = new StringBuilder();
        diff.entrySet().stream().filter(e -> Math.abs(e.getValue()) >= 8)
                .sorted((a, b) -> Long.compare(Math.abs(b.getValue()), Math.abs(a.getValue())))
                .forEach(e -> out.append(out.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%+d", e.getValue())));
        return out.toString();
    }

    /** {@code agentArgs} null: without the agent, and no closes awaited (the server's own idle is 10 min). */
    private static Idle idle(String app, int n, int stalled, String agentArgs) throws Exception {
        Path log = Files.createTempFile("outlast-scale", ".log");
        String args = agentArgs == null ? null : agentArgs + ",log=" + log;
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, args, serverArgs(app, n));
             ScaleClient client = new ScaleClient()) {
            Map<String, Long> classesBefore = Benchmark.heapByClass(server);
            long heapBefore = classesBefore.values().stream().mapToLong(Long::longValue).sum();
            long t0 = System.nanoTime();
            client.open(server.port, n, stalled);
            long openMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            client.watch();
            Thread.sleep(5000); // what opening them set off (the JIT, the first sweeps) settles
            ThreadCpu before = ThreadCpu.of(server.process.pid());
            Thread.sleep(CPU_WINDOW_S * 1000L);
            ThreadCpu after = ThreadCpu.of(server.process.pid());
            long[] spent = after.since(before);
            long total = 0;
            for (long s : spent) {
                total += s;
            }
            String byThread = byThread(after.byName(before));
            Map<String, Long> grown = Benchmark.heapByClass(server);
            long heap = (grown.values().stream().mapToLong(Long::longValue).sum() - heapBefore) / n;
            classesBefore.forEach((c, b) -> grown.merge(c, -b, Long::sum));
            if (agentArgs == null) {
                return new Idle(openMs, total / 1e6 / CPU_WINDOW_S, byThread, heap, grown, "-", "-", "-");
            }
            int open = client.awaitEnds(client.lastFromNanos() + TimeUnit.MILLISECONDS.toNanos(HEADER_MS + ON_TIME_MS + 4000));
            String idleCloses = closes(client.conns(), false, IDLE_MS, open);
            String headerCloses = stalled == 0 ? "none" : closes(client.conns(), true, HEADER_MS, open);
            Thread.sleep(3000); // the status text looks at the connections followed every 2 s
            return new Idle(openMs, total / 1e6 / CPU_WINDOW_S, byThread, heap, grown, idleCloses, headerCloses,
                    followed(server));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The app's own idle long (10 min), so that without the agent nothing closes while measured; Tomcat unbounded. */
    private static String[] serverArgs(String app, int n) {
        List<String> a = new ArrayList<>(List.of("-Xss512k", "-Dapp.maxConnections=" + (n + 1000)));
        if (!app.startsWith("netty")) {
            a.add("-Dapp.idle=600000"); // Netty has none of its own (the app would add an IdleStateHandler)
        }
        if (app.startsWith("jdk")) {
            // the JDK's server keeps 200 idle connections by default, and closes any more once answered
            a.add("-Dsun.net.httpserver.maxIdleConnections=" + (n + 1000));
        }
        String more = System.getProperty("bench.scale.jvmArgs", "").trim(); // -Xlog:safepoint, to look closer
        if (!more.isEmpty()) {
            a.addAll(List.of(more.split("\\s+")));
        }
        return a.toArray(new String[0]);
    }

    /** The agent's threads (and the server's, where they spent anything) by name: ms per second. */
    private static String byThread(Map<String, Long> nanos) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(nanos).forEach((name, ns) -> {
            double msPerS = ns / 1e6 / CPU_WINDOW_S;
            if (name.startsWith("outlast-") || msPerS >= 0.05) {
                b.append(b.length() == 0 ? "" : ", ").append(name).append(' ')
                        .append(String.format(Locale.ROOT, "%.2f", msPerS));
            }
        });
        return b.toString();
    }

    /**
     * When the server ended each connection, from its answer (idle) or its stalled header's first byte (header):
     * on time within [timeout, timeout + 1 s]; early, late, or still open.
     */
    private static String closes(List<ScaleClient.Conn> conns, boolean stalled, long timeoutMs, int open) {
        List<Long> ms = new ArrayList<>();
        int early = 0;
        int late = 0;
        int missed = 0;
        for (ScaleClient.Conn c : conns) {
            if (c.stall != stalled) {
                continue;
            }
            if (c.endedNanos == 0) {
                missed++;
                continue;
            }
            long after = TimeUnit.NANOSECONDS.toMillis(c.endedNanos - c.fromNanos());
            ms.add(after);
            if (after < timeoutMs - CLOCKS_MS) {
                early++;
            } else if (after > timeoutMs + ON_TIME_MS) {
                late++;
            }
        }
        Collections.sort(ms);
        int total = ms.size() + missed;
        return String.format(Locale.ROOT, "%d of %d on time (early %d, late %d, missed %d; after %.2f s: min %.3f s,"
                        + " p50 %.3f s, p99 %.3f s, max %.3f s)", ms.size() - early - late, total, early, late, missed,
                timeoutMs / 1000.0, pct(ms, 0), pct(ms, 0.5), pct(ms, 0.99), ms.isEmpty() ? 0 : ms.get(ms.size() - 1) / 1000.0);
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p))) / 1000.0;
    }

    private static String followed(ServerProcess server) throws IOException, InterruptedException {
        String out = ServerProcess.cli(Jdk.JDK17, "status", Long.toString(server.process.pid())).output();
        Matcher m = FOLLOWED.matcher(out);
        return m.find() ? "followed " + m.group(1) : out;
    }

    /** Connections of {@code family} the agent follows, from {@code status}. */
    private static int followedCount(ServerProcess server, String family) throws IOException, InterruptedException {
        Matcher m = Pattern.compile(family + " (\\d+)").matcher(followed(server));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * Attached to the loaded server: requests sent back to back on a few connections meanwhile wait as long as a
     * server thread is held (its longest wait, against the longest before the attach); and how long from the
     * command until {@code status} follows every open connection.
     */
    private static void attach(String app, int n) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, null, serverArgs(app, n));
             ScaleClient client = new ScaleClient()) {
            client.open(server.port, n, 0);
            client.watch();
            Thread.sleep(3000);
            try (Pingers pingers = new Pingers(server.port, 8)) {
                Thread.sleep(3000);
                long before = pingers.maxWaitNanos();
                long t0 = System.nanoTime();
                server.attach(AGENT);
                long attachMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                Thread.sleep(2000);
                long during = pingers.maxWaitNanos();
                String family = Family.of(app).name();
                int followed;
                long governedMs;
                do {
                    followed = followedCount(server, family);
                    governedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                } while (followed < n && governedMs < 30_000);
                System.out.printf(Locale.ROOT, "scale %-14s %6d connections: attach %d ms; longest wait of a request meanwhile"
                                + " %.1f ms (before the attach %.1f ms); %d of %d followed %s %d ms after the command%n", app, n,
                        attachMs, during / 1e6, before / 1e6, followed, n, followed >= n ? "by" : "still, at", governedMs);
                server.output().lines().filter(l -> l.startsWith("outlast: warning") || l.startsWith("outlast: error"))
                        .limit(3).forEach(l -> System.out.println("scale " + app + " says: " + l));
                reattach(app, n, server, pingers);
            }
        }
    }

    /**
     * A reset and a second attach, the requests' longest wait through each: the JVM's first redefinition after an
     * attach deoptimizes all compiled code (its compiler recorded no dependencies for an agent that came late), later
     * ones only what depends on the classes redefined. So much of the first attach's wait is the JVM's, once per JVM.
     */
    private static void reattach(String app, int n, ServerProcess server, Pingers pingers) throws Exception {
        Thread.sleep(5000);
        pingers.maxWaitNanos();
        ServerProcess.cli(Jdk.JDK17, "reset", Long.toString(server.process.pid()));
        Thread.sleep(2000);
        long reset = pingers.maxWaitNanos();
        Thread.sleep(3000);
        pingers.maxWaitNanos();
        server.attach(AGENT);
        Thread.sleep(2000);
        long again = pingers.maxWaitNanos();
        System.out.printf(Locale.ROOT, "scale %-14s %6d connections: then a reset, longest wait %.1f ms; a second attach,"
                + " longest wait %.1f ms; %s%n", app, n, reset / 1e6, again / 1e6, followed(server));
        Thread.sleep(Long.getLong("bench.scale.holdMs", 0)); // the server kept a while: jcmd, JFR.dump
    }

    /** Requests back to back on a few connections, each thread keeping its longest wait. */
    private static final class Pingers implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong maxNanos = new AtomicLong();
        private volatile boolean running = true;

        Pingers(int port, int count) {
            for (int i = 0; i < count; i++) {
                Thread t = new Thread(() -> {
                    while (running) {
                        // a server may end a kept-alive connection after so many requests (Tomcat's 100): a new one
                        try (Probe probe = new Probe(port)) {
                            while (running) {
                                long t0 = System.nanoTime();
                                probe.request(false);
                                maxNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                                Thread.sleep(2);
                            }
                        } catch (IOException e) {
                            // ended by the server: the next connection
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "scale-pinger-" + i);
                t.start();
                threads.add(t);
            }
        }

        /** The longest wait since the last call. */
        long maxWaitNanos() {
            return maxNanos.getAndSet(0);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(5000);
            }
        }
    }
}
