package app;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The app as a client of an upstream (a gateway's side): "traffic PORT LOOPS REQUESTS MIN_GAP_MS MAX_GAP_MS" runs LOOPS
 * clients at once, each with its own pool of one connection (as its own default would keep), each POSTing REQUESTS
 * times after idle gaps in [MIN, MAX]. POSTs are not retried (Reactor Netty's own retry is off): a request sent on a
 * connection the upstream closes under it fails, as the race has it.
 */
final class ClientTraffic {
    /** The bench command's client, kept from one run to the next (its pool warm). */
    private static final java.util.concurrent.atomic.AtomicReference<HttpClient> BENCH_CLIENT =
            new java.util.concurrent.atomic.AtomicReference<>();

    private ClientTraffic() {
    }

    static String run(String args) {
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
                int loop = i;
                results.add(executor.submit(() -> loop(port, loop, requests, min, max)));
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

    private static List<String> loop(int port, int loop, int requests, long min, long max) throws InterruptedException {
        ConnectionProvider pool = ConnectionProvider.create("upstream-" + loop, 1);
        HttpClient client = HttpClient.create(pool).disableRetry(true);
        List<String> out = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                if (i > 0) {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(min, max + 1));
                }
                try {
                    Integer status = client.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "text/plain"))
                            .post().uri("http://127.0.0.1:" + port + "/orders")
                            // one Mono: a whole request with its length, as a gateway forwards a buffered body
                            .send(ByteBufMono.fromString(Mono.just("order " + loop + "-" + i)))
                            .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                                    .map(text -> response.status().code()))
                            .block(Duration.ofSeconds(10));
                    out.add(String.valueOf(status));
                } catch (RuntimeException e) {
                    out.add(reactor.core.Exceptions.unwrap(e).getClass().getSimpleName());
                }
            }
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(5));
        }
        return out;
    }

    /**
     * "bench PORT CONCURRENCY SECONDS": GETs as fast as CONCURRENCY callers get answers, through one pool, for SECONDS;
     * answers "BENCH requests=N cpu_ns=C", C the process's CPU time over the run (the agent's cost per pooled request,
     * docs/performance.md).
     */
    static String bench(String args) {
        String[] a = args.split(" ");
        int port = Integer.parseInt(a[0]);
        int concurrency = Integer.parseInt(a[1]);
        long end = System.nanoTime() + Long.parseLong(a[2]) * 1_000_000_000L;
        HttpClient client = BENCH_CLIENT.updateAndGet(c -> c != null ? c
                : HttpClient.create(ConnectionProvider.create("bench", concurrency)).disableRetry(true));
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        Thread[] callers = new Thread[concurrency];
        for (int i = 0; i < concurrency; i++) {
            callers[i] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    client.get().uri("http://127.0.0.1:" + port + "/").responseSingle((r, body) -> body.asString())
                            .block(Duration.ofSeconds(10));
                    done.incrementAndGet();
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
