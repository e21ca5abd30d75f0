package app;

import app.control.ClientLoad;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The app as a client of an upstream (a gateway's side), through Reactor Netty's pool ({@link ClientLoad}): in
 * "traffic" each loop has its own pool of one connection (as its own default would keep). POSTs are not retried
 * (Reactor Netty's own retry is off): a request sent on a connection the upstream closes under it fails, as the race
 * has it.
 */
final class ClientTraffic {
    /** The bench command's client, kept from one run to the next (its pool warm). */
    private static final AtomicReference<HttpClient> BENCH_CLIENT = new AtomicReference<>();

    private ClientTraffic() {
    }

    static String run(String args) {
        return ClientLoad.traffic(args, ClientTraffic::loop);
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
                            .post().uri(ClientLoad.origin(port) + "/orders")
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

    static String bench(String args) {
        int concurrency = Integer.parseInt(args.split(" ")[1]);
        HttpClient client = BENCH_CLIENT.updateAndGet(c -> c != null ? c
                : HttpClient.create(ConnectionProvider.create("bench", concurrency)).disableRetry(true));
        return ClientLoad.bench(args, port -> client.get().uri(ClientLoad.origin(port) + "/")
                .responseSingle((r, body) -> body.asString()).block(Duration.ofSeconds(10)));
    }
}
