package io.outlast.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import io.outlast.it.ThreadCpu.Work;

/**
 * The agent's cost, measured side by side (with and without it, alternating) and printed: start-up,
 * throughput (wrk, kept-alive and a connection per request with close events logged to a file), attach
 * time, memory per open connection and its return to zero. Not a test: {@code scripts/bench.sh [startup]
 * [throughput] [attach] [memory]} runs it (all four without arguments).
 */
public final class Benchmark {
    private static final String AGENT = "proxy=aws-alb";
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 10);
        System.out.println("# outlast benchmark: " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        java.util.Set<String> only = new java.util.HashSet<>(List.of(args));
        if (only.isEmpty() || only.contains("startup")) {
            for (String app : System.getProperty("bench.startup", "jetty-12.0,spring-boot-tomcat").split(",")) {
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
        if (only.contains("client")) {
            for (String app : System.getProperty("bench.clients", "reactor-netty-1.2").split(",")) {
                client(app);
            }
        }
        if (only.contains("scale")) {
            // long (minutes per family and count): only when asked
            int stalled = Integer.getInteger("bench.scale.stalled", 1000);
            for (String n : System.getProperty("bench.scale.connections", "2000,10000,50000").split(",")) {
                for (String app : System.getProperty("bench.scale.apps",
                        "jetty-12.0,tomcat-10.1,netty-4.1,undertow-2.3,jdk-httpserver").split(",")) {
                    Scale.run(app, Integer.parseInt(n.trim()), stalled);
                }
            }
        }
    }

    /**
     * {@code -Dbench.jvmargs="-Dx=y ..."}: JVM options for the server with the agent (an experiment's switches);
     * {@code bench.ref.jvmargs} the reference server's.
     */
    static String[] experimentArgs(String property) {
        String args = System.getProperty(property, "").trim();
        return args.isEmpty() ? new String[0] : args.split("\\s+");
    }

    // --- start-up ---

    static void startup(String app, int runs) throws Exception {
        List<Long> without = new ArrayList<>();
        List<Long> with = new ArrayList<>();
        String agent = System.getProperty("bench.agent", AGENT);
        launchToFirstResponse(app, null);
        launchToFirstResponse(app, agent);
        for (int i = 0; i < runs; i++) {
            without.add(launchToFirstResponse(app, null));
            with.add(launchToFirstResponse(app, agent));
        }
        long a = median(without);
        long b = median(with);
        // each run with the agent against the run without it just before: the machine's drift over the
        // minutes of the runs cancels out of each difference
        List<Double> added = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            added.add((double) (with.get(i) - without.get(i)));
        }
        System.out.printf(Locale.ROOT, "startup %-20s launch to first response, median of %d: without %d ms, with %d ms;"
                + " added, median of the %d differences [quartiles]: %+.0f ms [%+.0f..%+.0f]%n", app, runs, a, b, runs,
                medianD(added), quantile(added, 0.25), quantile(added, 0.75));
    }

    /** Milliseconds from launching the JVM until the app answers its first request. */
    static long launchToFirstResponse(String app, String agent) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Jdk.JDK17.java().toString(), "-Xshare:auto"));
        if (agent != null) {
            cmd.add("-javaagent:" + ServerProcess.AGENT_JAR + "=" + agent);
            cmd.addAll(List.of(experimentArgs("bench.jvmargs")));
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

    // --- a client's pooled requests ---

    /**
     * A client's cost per pooled request: two client JVMs on one core (outlast.server.cpus), one with the agent
     * ({@code upstream=60s}: its limit checked at every acquire), GETting from one upstream (a Netty server without
     * the agent, on the other cores) through a pool of 4 kept-alive connections, at the same time; each window
     * compares their process CPU time per request. Pairs and windows as {@link #throughput}; the goal is 0.99.
     */
    static void client(String app) throws Exception {
        int pairs = Integer.getInteger("bench.pairs", 3);
        int windows = Integer.getInteger("bench.windows", 8);
        int seconds = Integer.getInteger("bench.seconds", 3);
        int warmup = Integer.getInteger("bench.warmup", 30);
        String clientCpus = System.getProperty("outlast.server.cpus");
        System.setProperty("outlast.server.cpus", System.getProperty("bench.upstream.cpus", "1"));
        List<Double> cpu = new ArrayList<>();
        List<double[]> perRequest = new ArrayList<>();
        try (ServerProcess upstream = ServerProcess.start(Jdk.JDK17, "netty-4.1", null)) {
            if (clientCpus == null) {
                System.clearProperty("outlast.server.cpus");
            } else {
                System.setProperty("outlast.server.cpus", clientCpus);
            }
            for (int pair = 0; pair < pairs; pair++) {
                // "APP+CLIENT": a test-app's other client (ClientRaceTest's rows)
                String testApp = app.split("\\+")[0];
                try (ServerProcess without = ServerProcess.start(Jdk.JDK17, testApp, null, ClientRaceTest.clientArgs(app));
                     ServerProcess with = ServerProcess.start(Jdk.JDK17, testApp,
                             System.getProperty("bench.agent", "upstream=60s,log.closes=none"), ClientRaceTest.clientArgs(app))) {
                    String command = "bench " + upstream.port + " 4 ";
                    benchBoth(without, with, command + warmup);
                    for (int w = 0; w < windows; w++) {
                        long[][] both = benchBoth(without, with, command + seconds);
                        double a = (double) both[0][1] / both[0][0];
                        double b = (double) both[1][1] / both[1][0];
                        cpu.add(a / b);
                        perRequest.add(new double[] {a / 1000, b / 1000, both[0][0], both[1][0]});
                    }
                }
            }
        }
        List<Double> pairMedians = pairMedians(cpu, windows);
        double m = mean(pairMedians);
        double h = interval(pairMedians);
        System.out.printf(Locale.ROOT, "client %s pooled GETs: without %.1f us CPU each (%.0f a window), with %.1f us"
                        + " (%.0f); by CPU time, median of %d windows %.3f [%.3f..%.3f], each pair's median: %s; their"
                        + " mean %.4f (95%% interval %.4f..%.4f) (goal >= 0.99)%n", app,
                medianD(perRequest.stream().map(x -> x[0]).collect(java.util.stream.Collectors.toList())),
                medianD(perRequest.stream().map(x -> x[2]).collect(java.util.stream.Collectors.toList())),
                medianD(perRequest.stream().map(x -> x[1]).collect(java.util.stream.Collectors.toList())),
                medianD(perRequest.stream().map(x -> x[3]).collect(java.util.stream.Collectors.toList())),
                cpu.size(), medianD(cpu), quantile(cpu, 0.25), quantile(cpu, 0.75),
                pairMedians.stream().map(p -> String.format(Locale.ROOT, "%.3f", p))
                        .collect(java.util.stream.Collectors.joining(" ")), m, m - h, m + h);
    }

    /** The same bench command in both clients at once: each one's {requests, CPU ns}. */
    private static long[][] benchBoth(ServerProcess a, ServerProcess b, String command) throws Exception {
        int markA = a.mark();
        int markB = b.mark();
        a.send(command);
        b.send(command);
        long[][] out = new long[2][];
        int i = 0;
        for (ServerProcess p : List.of(a, b)) {
            String line = p.await(p == a ? markA : markB, l -> l.startsWith("BENCH "), java.time.Duration.ofMinutes(5));
            java.util.regex.Matcher r = Pattern.compile("requests=(\\d+) cpu_ns=(\\d+)").matcher(line);
            if (!r.find()) {
                throw new IllegalStateException(line);
            }
            out[i++] = new long[] {Long.parseLong(r.group(1)), Long.parseLong(r.group(2))};
        }
        return out;
    }

    // --- throughput ---

    /** What wrk measured and what it cost the server: its threads' CPU time over the run, by {@link Work}. */
    record Load(double rps, long requests, long[] nanos) {
        double cpuMs() {
            return LongStream.of(nanos).sum() / 1e6;
        }

        double jitMs() {
            return nanos[Work.JIT.ordinal()] / 1e6;
        }

        double cpuMicrosPerRequest() {
            return cpuMs() * 1000 / requests;
        }

        /** Without the JIT compiler threads' share: the work of serving alone, compiling aside. */
        double servingMicrosPerRequest() {
            return (cpuMs() - jitMs()) * 1000 / requests;
        }

        double microsPerRequest(Work work) {
            return nanos[work.ordinal()] / 1e3 / requests;
        }
    }

    /**
     * Two servers on the same core, one without the agent and one with it, under load at the same time (a wrk
     * each): whatever the machine does to that core (a noisy neighbour, a slower period) it does to both at
     * once, so their CPU time per request compares the agent's cost alone. With the core saturated, the rate
     * is the inverse of it (measured equal). {@code -Dbench.mode=turns} instead loads one at a time in short
     * windows, the order alternating: the rate itself, but the machine's noise between windows shows in it.
     * Measured only once both are warm, their JIT settled ({@link #warmUp}); a short warm-up measures mostly
     * how fast each one compiles. Several pairs of processes,
     * since each JIT settles a little differently; each window gives a ratio, reported as the median and
     * quartiles of all.
     */
    static void throughput(String app) throws Exception {
        Path log = Files.createTempFile("outlast-bench", ".log");
        int pairs = Integer.getInteger("bench.pairs", 3);
        int windows = Integer.getInteger("bench.windows", 8);
        int seconds = Integer.getInteger("bench.seconds", 3);
        int warmup = Integer.getInteger("bench.warmup", 15);
        int warmupMax = Integer.getInteger("bench.warmup.max", 150);
        boolean together = !"turns".equals(System.getProperty("bench.mode"));
        // -Dbench.loads=kept-alive (or per-connection) measures one of the two loads, in half the time
        String loads = System.getProperty("bench.loads", "kept-alive,per-connection");
        boolean[] closes = loads.equals("kept-alive") ? new boolean[] {false}
                : loads.equals("per-connection") ? new boolean[] {true} : new boolean[] {false, true};
        // -Dbench.agent=enabled=false measures the method itself (an A/A run: the agent loaded, doing nothing)
        String with = System.getProperty("bench.agent", AGENT + ",log=" + log);
        if (with.equals("none")) {
            with = null; // -Dbench.agent=none: neither has the agent, the method's own spread
        }
        String[] jvmArgs = experimentArgs("bench.jvmargs");
        // -Dbench.ref=<agent arguments>: the reference server (the report's "without") has the agent too, so two
        // settings or builds are compared in one pair: each against a server without it adds two such spreads
        String reference = System.getProperty("bench.ref");
        if (reference != null) {
            reference = reference + ",log=" + log;
        }
        String[] referenceArgs = experimentArgs("bench.ref.jvmargs");
        List<List<Load>> keepAlive = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Load>> perRequest = List.of(new ArrayList<>(), new ArrayList<>());
        for (int pair = 0; pair < pairs; pair++) {
            try (ServerProcess without = ServerProcess.start(Jdk.JDK17, app, reference, referenceArgs);
                 ServerProcess agent = ServerProcess.start(Jdk.JDK17, app, with, jvmArgs)) {
                List<ServerProcess> servers = List.of(without, agent);
                for (boolean close : closes) {
                    if (together) {
                        int spent = warmUp(servers, warmup, warmupMax, close);
                        System.out.printf(Locale.ROOT, "throughput %-13s pair %d, %s: warmed %d s%s%n", app, pair + 1,
                                close ? "connection per request" : "kept-alive", spent,
                                spent >= warmupMax ? " (the JIT still compiling at the limit)" : " (the JIT settled)");
                    } else {
                        for (ServerProcess server : servers) {
                            load(List.of(server), warmup, close);
                        }
                    }
                }
                for (boolean close : closes) {
                    List<List<Load>> into = close ? perRequest : keepAlive;
                    for (int w = 0; w < windows; w++) {
                        if (together) {
                            List<Load> both = load(servers, seconds, close);
                            into.get(0).add(both.get(0));
                            into.get(1).add(both.get(1));
                        } else {
                            for (int i = 0; i < 2; i++) {
                                int which = (w + i) % 2;
                                into.get(which).add(load(List.of(servers.get(which)), seconds, close).get(0));
                            }
                        }
                    }
                }
            }
        }
        long lines;
        try (java.util.stream.Stream<String> l = Files.lines(log)) {
            lines = l.count();
        }
        Files.delete(log);
        if (!keepAlive.get(0).isEmpty()) {
            report(app, "kept-alive", keepAlive, windows, 0.99);
        }
        if (!perRequest.get(0).isEmpty()) {
            report(app, "connection per request, closes logged to a file (" + lines + " lines)", perRequest, windows, 0.95);
        }
    }

    /**
     * Loads both servers at least {@code min} seconds, then on in 5 s slices until the JIT has settled in each
     * (its compiler threads under 2% of the server's CPU in a slice), {@code max} seconds at most; returns the
     * seconds spent. Measured: with the agent the JIT takes ~40 s to settle alone on a core (~2,000 more
     * compiles: the install runs Byte Buddy), twice that on half a core; windows before it measure the
     * compiling, a one-time cost, rather than the serving.
     */
    static int warmUp(List<ServerProcess> servers, int min, int max, boolean close) throws Exception {
        load(servers, min, close);
        int spent = min;
        while (spent < max) {
            List<Load> slice = load(servers, 5, close);
            spent += 5;
            boolean settled = true;
            for (Load l : slice) {
                settled &= l.jitMs() <= 0.02 * l.cpuMs();
            }
            if (settled) {
                break;
            }
        }
        return spent;
    }

    private static void report(String app, String what, List<List<Load>> loads, int windows, double goal) {
        List<Double> rate = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> serving = new ArrayList<>();
        for (int r = 0; r < loads.get(0).size(); r++) {
            Load without = loads.get(0).get(r);
            Load with = loads.get(1).get(r);
            rate.add(with.rps() / without.rps());
            // as a rate: the requests the server's CPU time buys, with / without
            cpu.add(without.cpuMicrosPerRequest() / with.cpuMicrosPerRequest());
            serving.add(without.servingMicrosPerRequest() / with.servingMicrosPerRequest());
        }
        System.out.printf(Locale.ROOT, "throughput %-13s %s: without %.0f req/s (%.1f us CPU each), with %.0f req/s"
                        + " (%.1f us CPU each); ratio, median of %d windows [quartiles]: rate %.3f [%.3f..%.3f], by CPU"
                        + " time %.3f [%.3f..%.3f] (goal >= %.2f)%n", app, what,
                medianOf(loads.get(0), Load::rps), medianOf(loads.get(0), Load::cpuMicrosPerRequest),
                medianOf(loads.get(1), Load::rps), medianOf(loads.get(1), Load::cpuMicrosPerRequest),
                rate.size(), medianD(rate), quantile(rate, 0.25), quantile(rate, 0.75),
                medianD(cpu), quantile(cpu, 0.25), quantile(cpu, 0.75), goal);
        // windows of one pair share its two JITs' outcome, which differs from pair to pair more than windows
        // differ within one: the pairs are the independent samples, so the interval is over their medians
        List<Double> pairs = pairMedians(cpu, windows);
        String each = pairs.stream().map(p -> String.format(Locale.ROOT, "%.3f", p))
                .collect(java.util.stream.Collectors.joining(" "));
        double m = mean(pairs);
        double h = interval(pairs);
        System.out.printf(Locale.ROOT, "throughput %-13s %s: by CPU time, each pair's median: %s; their mean %.4f"
                + " (95%% interval %.4f..%.4f)%n", app, what, each, m, m - h, m + h);
        // the JIT still compiles (and recompiles after deoptimizations) long after a warm-up; its share is
        // counted above, and apart here, where the agent's cost is the serving's alone
        System.out.printf(Locale.ROOT, "throughput %-13s %s: JIT compiler threads %.2f -> %.2f us per request;"
                        + " by CPU time without them %.3f [%.3f..%.3f]%n", app, what,
                medianOf(loads.get(0), l -> l.microsPerRequest(Work.JIT)),
                medianOf(loads.get(1), l -> l.microsPerRequest(Work.JIT)),
                medianD(serving), quantile(serving, 0.25), quantile(serving, 0.75));
        // where a difference is: in the server's own threads (the advice runs there), or in the GC's, the
        // JVM's, the agent's; each window's difference as a share of the reference's CPU per request, since
        // the machine's speed drifts from window to window more than the agent's cost
        StringBuilder byWork = new StringBuilder();
        for (Work w : Work.values()) {
            List<Double> share = new ArrayList<>();
            for (int r = 0; r < loads.get(0).size(); r++) {
                Load without = loads.get(0).get(r);
                Load with = loads.get(1).get(r);
                share.add(100 * (with.microsPerRequest(w) - without.microsPerRequest(w)) / without.cpuMicrosPerRequest());
            }
            List<Double> pairShares = pairMedians(share, windows);
            byWork.append(String.format(Locale.ROOT, "%s%s %.3f -> %.3f us, %+.2f%% [%+.2f..%+.2f]",
                    byWork.length() == 0 ? "" : "; ", w.name().toLowerCase(Locale.ROOT),
                    medianOf(loads.get(0), l -> l.microsPerRequest(w)), medianOf(loads.get(1), l -> l.microsPerRequest(w)),
                    mean(pairShares), mean(pairShares) - interval(pairShares), mean(pairShares) + interval(pairShares)));
        }
        System.out.printf(Locale.ROOT, "throughput %-13s %s: CPU per request by thread, without -> with, and the"
                + " difference in %% of the reference's CPU (mean of the pairs' medians [95%% interval]): %s%n", app, what, byWork);
    }

    /** Each pair's median of its windows' values (a pair's windows come one after another). */
    private static List<Double> pairMedians(List<Double> perWindow, int windows) {
        List<Double> pairs = new ArrayList<>();
        for (int from = 0; from + windows <= perWindow.size(); from += windows) {
            pairs.add(medianD(perWindow.subList(from, from + windows)));
        }
        return pairs;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Half the width of a 95% interval of the mean (Student's t for the few samples there are). */
    private static double interval(List<Double> values) {
        int n = values.size();
        if (n < 2) {
            return Double.NaN;
        }
        double m = mean(values);
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        double[] t = {12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.20, 2.18, 2.16, 2.14, 2.13};
        // beyond the table, within 0.01 of t up to the normal's 1.96
        return (n - 1 <= t.length ? t[n - 2] : 1.96 + 2.4 / (n - 1)) * Math.sqrt(ss / (n - 1) / n);
    }

    private static double medianOf(List<Load> loads, java.util.function.ToDoubleFunction<Load> f) {
        List<Double> values = new ArrayList<>();
        for (Load l : loads) {
            values.add(f.applyAsDouble(l));
        }
        return medianD(values);
    }

    private static double quantile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.round(q * (sorted.size() - 1)));
    }

    private static double medianD(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * wrk against each server at the same time, 2 threads and 32 connections in all (each request on its own
     * if {@code close}): what each answered, and the CPU time it took.
     */
    static List<Load> load(List<ServerProcess> servers, int seconds, boolean close) throws Exception {
        List<Process> wrks = new ArrayList<>();
        ThreadCpu[] before = new ThreadCpu[servers.size()];
        for (int i = 0; i < servers.size(); i++) {
            ServerProcess server = servers.get(i);
            List<String> cmd = new ArrayList<>();
            String cpus = System.getProperty("outlast.wrk.cpus");
            if (cpus != null) {
                cmd.addAll(List.of("taskset", "-c", cpus));
            }
            int threads = Math.max(1, 2 / servers.size());
            cmd.addAll(List.of("wrk", "-t" + threads, "-c" + 32 / servers.size(), "-d" + seconds + "s"));
            if (close) {
                cmd.addAll(List.of("-H", "Connection: close"));
            }
            cmd.add("http://127.0.0.1:" + server.port + "/");
            before[i] = ThreadCpu.of(server.process.pid());
            wrks.add(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        }
        List<Load> loads = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            Process p = wrks.get(i);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            long[] spent = ThreadCpu.of(servers.get(i).process.pid()).since(before[i]);
            Matcher m = RPS.matcher(out);
            Matcher n = REQUESTS.matcher(out);
            if (!m.find() || !n.find()) {
                throw new IOException("wrk: " + out);
            }
            loads.add(new Load(Double.parseDouble(m.group(1)), Long.parseLong(n.group(1)), spent));
        }
        return loads;
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
    /** Live heap by class after a full GC ({@code jcmd GC.class_histogram}): bytes per class name. */
    static Map<String, Long> heapByClass(ServerProcess server) throws Exception {
        Path jcmd = Jdk.JDK17.home().resolve("bin/jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(server.process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, Long> bytes = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)").matcher(out);
        while (m.find()) {
            bytes.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
        }
        if (bytes.isEmpty()) {
            throw new IOException("jcmd: " + out);
        }
        return bytes;
    }

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
