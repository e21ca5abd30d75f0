package app.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load a client test-app puts on an upstream, whatever its client: the race's "traffic" (loops of requests after
 * idle gaps, each loop its own pool) and the benchmark's "bench" (requests as fast as answers come, one pool).
 */
public final class ClientLoad {
    /** One loop of "traffic": its requests' outcomes, "200" or the failure's simple class name. */
    public interface Loop {
        List<String> run(int port, int loop, int requests, long minGapMs, long maxGapMs) throws Exception;
    }

    /** The i-th POST of a loop: its status. */
    public interface Post {
        int post(int i) throws Exception;
    }

    /** One request of "bench"; a failure is not counted. */
    public interface Call {
        void call(int port) throws Exception;
    }

    private ClientLoad() {
    }

    /** Whether the upstream serves TLS (-Dapp.upstream.tls=true; the client trusts it by javax.net.ssl.trustStore). */
    public static boolean upstreamTls() {
        return Boolean.getBoolean("app.upstream.tls");
    }

    /** The upstream's origin on this port: https when it serves TLS. */
    public static String origin(int port) {
        return (upstreamTls() ? "https" : "http") + "://127.0.0.1:" + port;
    }

    /**
     * "PORT LOOPS REQUESTS MIN_GAP_MS MAX_GAP_MS": LOOPS loops at once; answers "TRAFFIC requests=N ok=N failed=N
     * errors=Kind:N;...".
     */
    public static String traffic(String args, Loop loop) {
        String[] a = args.split(" ");
        int port = Integer.parseInt(a[0]);
        int loops = Integer.parseInt(a[1]);
        int requests = Integer.parseInt(a[2]);
        long min = Long.parseLong(a[3]);
        long max = Long.parseLong(a[4]);
        ExecutorService executor = Executors.newFixedThreadPool(loops);
        Map<String, Integer> failures = new TreeMap<>();
        int ok = 0;
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < loops; i++) {
                int n = i;
                results.add(executor.submit(() -> loop.run(port, n, requests, min, max)));
            }
            for (Future<List<String>> f : results) {
                for (String outcome : f.get()) {
                    if (outcome.equals("200")) {
                        ok++;
                    } else {
                        failures.merge(outcome, 1, Integer::sum);
                    }
                }
            }
        } catch (Exception e) {
            return "TRAFFIC error " + e;
        } finally {
            executor.shutdownNow();
        }
        StringBuilder b = new StringBuilder("TRAFFIC requests=" + loops * requests + " ok=" + ok + " failed="
                + (loops * requests - ok) + " errors=");
        failures.forEach((k, v) -> b.append(k).append(':').append(v).append(';'));
        return b.toString();
    }

    /**
     * A loop's POSTs after idle gaps in [min, max]: each one's status, or its failure's simple class name (a future's:
     * its cause's).
     */
    public static List<String> posts(int requests, long minGapMs, long maxGapMs, Post post) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            if (i > 0) {
                Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(minGapMs, maxGapMs + 1));
            }
            try {
                out.add(Integer.toString(post.post(i)));
            } catch (java.util.concurrent.ExecutionException e) {
                out.add((e.getCause() != null ? e.getCause() : e).getClass().getSimpleName());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                out.add(e.getClass().getSimpleName());
            }
        }
        return out;
    }

    /**
     * "PORT CONCURRENCY SECONDS": CONCURRENCY callers for SECONDS; answers "BENCH requests=N cpu_ns=C", C the process's
     * CPU time over the run (the agent's cost per pooled request, docs/performance.md).
     */
    public static String bench(String args, Call call) {
        String[] a = args.split(" ");
        int port = Integer.parseInt(a[0]);
        int concurrency = Integer.parseInt(a[1]);
        long end = System.nanoTime() + Long.parseLong(a[2]) * 1_000_000_000L;
        AtomicLong done = new AtomicLong();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        Thread[] callers = new Thread[concurrency];
        for (int i = 0; i < concurrency; i++) {
            callers[i] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        call.call(port);
                        done.incrementAndGet();
                    } catch (Exception e) {
                        // not counted
                    }
                }
            });
            callers[i].start();
        }
        try {
            for (Thread t : callers) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "BENCH requests=" + done.get() + " cpu_ns=" + (os.getProcessCpuTime() - cpu);
    }
}
