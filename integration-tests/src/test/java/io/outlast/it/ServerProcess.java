package io.outlast.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A test-app in a child JVM: its output lines, its port, and the agent's events in that output. */
final class ServerProcess implements AutoCloseable {
    static final Path AGENT_JAR = Path.of(System.getProperty("outlast.agent.jar", "../agent/target/outlast-agent.jar"))
            .toAbsolutePath().normalize();
    static final Path APPS = Path.of(System.getProperty("outlast.test.apps", "../test-apps")).toAbsolutePath().normalize();
    private static final Pattern READY = Pattern.compile("READY port=(\\d+)");

    final Jdk jdk;
    final Process process;
    final int port;
    /** The app serves TLS ({@code <app>@tls}), with the key of {@link TlsKeys}. */
    final boolean tls;
    /** HTTP/2 clients reach the server over HTTP/1.1 first, and switch by an Upgrade: h2c. */
    volatile boolean h2cByUpgrade;
    private final List<String> lines = new ArrayList<>();
    /** When each line was read (System.nanoTime), index by index with {@link #lines}. */
    private final List<Long> lineNanos = new ArrayList<>();
    /** The child's java.io.tmpdir (Tomcat's base, Vert.x's cache), removed with it: runs leave nothing in /tmp. */
    private final Path tmp;

    private ServerProcess(Jdk jdk, List<String> command, Path tmp, boolean tls) throws IOException {
        this.jdk = jdk;
        this.tmp = tmp;
        this.tls = tls;
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("OUTLAST_") || k.equals("JAVA_TOOL_OPTIONS"));
        this.process = pb.start();
        pump(process.getInputStream());
        pump(process.getErrorStream());
        String ready = await(READY.asPredicate(), Duration.ofSeconds(60));
        Matcher m = READY.matcher(ready);
        m.find();
        this.port = Integer.parseInt(m.group(1));
    }

    /**
     * Starts {@code test-apps/<app>/target/app.jar}; {@code agentArgs} null means without the agent. An app
     * named {@code <app>@nio2} is the Tomcat app on its NIO2 connector; {@code <app>@h2} speaks HTTP/2 too (h2c by
     * prior knowledge, or by ALPN over TLS); {@code <app>@vt} serves on virtual threads (JDK 21+); {@code <app>@tls}
     * serves TLS only; {@code <app>@h2@upgrade} is reached by an HTTP/1.1 Upgrade to h2c; {@code ktor-3@cio} is the
     * Ktor app on its CIO engine.
     */
    static ServerProcess start(Jdk jdk, String app, String agentArgs, String... jvmArgs) throws IOException {
        ServerProcess server = startUnawaited(jdk, app, agentArgs, jvmArgs);
        if (agentArgs != null) {
            server.awaitAgent(agentArgs);
        }
        return server;
    }

    /** As {@link #start}, returning once the app is ready, which at start is before the agent has installed. */
    static ServerProcess startUnawaited(Jdk jdk, String app, String agentArgs, String... jvmArgs) throws IOException {
        if (jdk == Jdk.JDK17 && Jdk.needsJava21(app)) {
            throw new IllegalArgumentException(app + " needs Java 21: run it on Jdk.forApp(app)");
        }
        jdk.require();
        List<String> cmd = new ArrayList<>();
        String cpus = System.getProperty("outlast.server.cpus");
        if (cpus != null) {
            // the benchmark keeps the server and its load generator on separate cores
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.add(jdk.java().toString());
        cmd.add("-Xshare:auto");
        if (Boolean.getBoolean("outlast.test.quickJvm")) {
            // the tests (not the benchmark): three servers start at once on two cores, and C2 and a parallel collector's
            // threads take the CPU their starts and timers wait for. Timeouts are measured, not throughput.
            cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        }
        Path tmp = Files.createTempDirectory("outlast-app");
        cmd.add("-Djava.io.tmpdir=" + tmp);
        boolean upgrade = app.endsWith("@upgrade");
        if (upgrade) {
            app = app.substring(0, app.length() - "@upgrade".length());
        }
        boolean tls = app.endsWith("@tls");
        if (tls) {
            app = app.substring(0, app.length() - "@tls".length());
            cmd.add("-Dapp.tls.keystore=" + TlsKeys.keyStore());
            cmd.add("-Dapp.tls.password=" + TlsKeys.PASSWORD);
        }
        if (app.endsWith("@vt")) {
            app = app.substring(0, app.length() - "@vt".length());
            cmd.add("-Dapp.vt=true");
        }
        if (app.endsWith("@h2")) {
            app = app.substring(0, app.length() - "@h2".length());
            cmd.add("-Dapp.h2=true");
        }
        if (app.endsWith("@cio")) {
            app = app.substring(0, app.length() - "@cio".length());
            cmd.add("-Dapp.engine=cio");
        }
        if (app.endsWith("@nio2")) {
            app = app.substring(0, app.length() - "@nio2".length());
            cmd.add("-Dapp.protocol=org.apache.coyote.http11.Http11Nio2Protocol");
        }
        if (agentArgs != null) {
            cmd.add("-javaagent:" + AGENT_JAR + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        }
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-jar");
        cmd.add(APPS.resolve(app).resolve("target/app.jar").toString());
        ServerProcess server = new ServerProcess(jdk, cmd, tmp, tls);
        server.h2cByUpgrade = upgrade;
        return server;
    }

    /**
     * The JVM option that makes the app's start go on loading classes until {@code ms} after its READY, as a
     * warm-up does: the agent, which installs once class loading calms, then installs after that, even where a busy
     * machine pauses the server's start long enough to look over to it.
     */
    static String startGoingOnAfterReady(long ms) {
        return "-javaagent:" + Path.of(System.getProperty("outlast.test.control.jar")).toAbsolutePath() + "=" + ms;
    }

    /** At start the agent installs once the application has started: tests measure from then on. */
    private void awaitAgent(String agentArgs) {
        Matcher file = Pattern.compile("(?:^|,)log=([^,]+)").matcher(agentArgs);
        if (file.find() && !List.of("stderr", "stdout", "app").contains(file.group(1))) {
            Path log = Path.of(file.group(1));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try {
                while (!(java.nio.file.Files.exists(log) && java.nio.file.Files.readString(log).contains("started ("))) {
                    if (System.nanoTime() > end) {
                        throw new AssertionError("the agent did not start; its log: " + log + "\n" + output());
                    }
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
            return;
        }
        await(l -> l.startsWith("outlast: started") || l.startsWith("outlast: error")
                || l.startsWith("outlast: disabled"), Duration.ofSeconds(30));
    }

    record CliResult(int exit, String output) {
    }

    /** {@code java -jar outlast-agent.jar attach <pid> args...} with the same JDK; must succeed. */
    String attach(String... args) throws IOException, InterruptedException {
        CliResult r = cli(jdk, "attach", Long.toString(process.pid()), args);
        if (r.exit() != 0) {
            throw new AssertionError("attach failed: " + r.output() + "\n--- target output:\n" + output());
        }
        return r.output();
    }

    /** {@code java -jar outlast-agent.jar <command> [first] args...}, its exit code and output. */
    static CliResult cli(Jdk jdk, String command, String first, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-jar", AGENT_JAR.toString(), command));
        if (first != null) {
            cmd.add(first);
        }
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cli did not finish: " + out);
        }
        return new CliResult(p.exitValue(), out);
    }

    /** A line to the app's standard input. */
    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    /** Whether the application's own class loader can load the class (the test-apps' "load" command). */
    boolean appCanLoad(String className) throws IOException {
        send("load " + className);
        String answer = await(l -> l.startsWith("LOAD " + className + " "), Duration.ofSeconds(10));
        return answer.endsWith(" true");
    }

    /** Whether the application may reach private members of the class (the test-apps' "access" command). */
    boolean appCanAccess(String className) throws IOException {
        send("access " + className);
        return await(l -> l.startsWith("ACCESS " + className + " "), Duration.ofSeconds(10)).endsWith(" true");
    }

    long outlastLines() {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith("outlast")).count();
        }
    }

    private void pump(InputStream in) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lineNanos.add(System.nanoTime());
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** The first output line that matches, waiting for it up to {@code timeout}. */
    String await(Predicate<String> match, Duration timeout) {
        return await(0, match, timeout);
    }

    /** The first output line from line {@code from} ({@link #mark}) on that matches, waiting up to {@code timeout}. */
    String await(int from, Predicate<String> match, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String l : lines.subList(Math.min(from, lines.size()), lines.size())) {
                    if (match.test(l)) {
                        return l;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching line within " + timeout + "; output:\n" + output());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** When the first output line that matches was read (System.nanoTime), waiting for it up to {@code timeout}. */
    long awaitNanos(Predicate<String> match, Duration timeout) {
        await(match, timeout);
        synchronized (lines) {
            for (int i = 0; i < lines.size(); i++) {
                if (match.test(lines.get(i))) {
                    return lineNanos.get(i);
                }
            }
        }
        throw new IllegalStateException("a line matched, then none did");
    }

    boolean has(Predicate<String> match) {
        synchronized (lines) {
            return lines.stream().anyMatch(match);
        }
    }

    long count(Predicate<String> match) {
        synchronized (lines) {
            return lines.stream().filter(match).count();
        }
    }

    /** How many lines the app has printed so far: events after this mark belong to connections opened after it. */
    int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /**
     * The close event of the connection whose client side had this local port, printed after {@code mark}:
     * the operating system reuses ports, so an earlier connection may have had the same one.
     */
    Map<String, String> closeEvent(int clientPort, int mark) {
        String line = await(mark, l -> l.contains("outlast: close ") && l.contains(" remote=127.0.0.1:" + clientPort + " "),
                Duration.ofSeconds(10));
        Map<String, String> fields = new HashMap<>();
        for (String kv : line.substring(line.indexOf("close ") + 6).split(" ")) {
            int eq = kv.indexOf('=');
            fields.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return fields;
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Runs a diagnostic command in the app's JVM ({@code jcmd}, from the app's own JDK); returns its output. */
    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jdk.home().resolve("bin/jcmd").toString(), Long.toString(process.pid())));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    /** Asks the app to stop its server (a "stop" line) and waits for the JVM to exit. */
    void stop() throws IOException, InterruptedException {
        send("stop");
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("app did not stop; output:\n" + output());
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            TempDirs.delete(tmp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
