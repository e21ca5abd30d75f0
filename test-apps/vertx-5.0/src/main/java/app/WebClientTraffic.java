package app;

import app.control.ClientLoad;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The app as a client of an upstream through Vert.x's WebClient (its HttpClient's pool; {@link ClientLoad}): in
 * "traffic" each loop has its own client, a pool of one connection. Vert.x does not send a failed POST again. Its
 * defaults are kept otherwise: a connection kept 60 s idle, or for the {@code Keep-Alive: timeout=} its upstream sent.
 */
final class WebClientTraffic {
    private static final AtomicReference<WebClient> BENCH_CLIENT = new AtomicReference<>();

    private WebClientTraffic() {
    }

    static String run(Vertx vertx, String args) {
        return ClientLoad.traffic(args, (port, loop, requests, min, max) -> {
            WebClient client = pooled(vertx, 1);
            try {
                return ClientLoad.posts(requests, min, max, i -> send(client, port, "/orders", "order " + loop + "-" + i));
            } finally {
                client.close();
            }
        });
    }

    /** A WebClient on its own HttpClient, of at most that many connections (4.5's and 5.0's common way to size it). */
    private static WebClient pooled(Vertx vertx, int connections) {
        return WebClient.wrap(vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(connections)));
    }

    /** The response's status; a failure as the future's (the race: HttpClosedException its cause). */
    private static int send(WebClient client, int port, String path, String body) throws Exception {
        boolean tls = ClientLoad.upstreamTls();
        return (body == null ? client.get(port, "127.0.0.1", path).ssl(tls).send()
                : client.post(port, "127.0.0.1", path).ssl(tls).sendBuffer(Buffer.buffer(body)))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).statusCode();
    }

    static String bench(Vertx vertx, String args) {
        int concurrency = Integer.parseInt(args.split(" ")[1]);
        WebClient client = BENCH_CLIENT.updateAndGet(c -> c != null ? c : pooled(vertx, concurrency));
        return ClientLoad.bench(args, port -> send(client, port, "/", null));
    }
}
