package app;

import app.control.ClientLoad;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link ClientTraffic} through HttpClient 4.5's classic pool (Spring Boot 2's RestTemplate): it keeps a connection
 * for ever unless the upstream announces a {@code Keep-Alive: timeout=}; its stale check after 2 s idle is kept.
 */
final class Client4Traffic {
    private static final AtomicReference<CloseableHttpClient> BENCH_CLIENT = new AtomicReference<>();

    private Client4Traffic() {
    }

    static String run(String args) {
        return ClientLoad.traffic(args, Client4Traffic::loop);
    }

    private static CloseableHttpClient pooled(int connections) {
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
        pool.setMaxTotal(connections);
        pool.setDefaultMaxPerRoute(connections);
        return HttpClients.custom().setConnectionManager(pool).disableAutomaticRetries().build();
    }

    private static List<String> loop(int port, int loop, int requests, long min, long max) throws Exception {
        try (CloseableHttpClient client = pooled(1)) {
            return ClientLoad.posts(requests, min, max, i -> {
                HttpPost post = new HttpPost(ClientLoad.origin(port) + "/orders");
                post.setEntity(new StringEntity("order " + loop + "-" + i, ContentType.TEXT_PLAIN));
                return client.execute(post, response -> {
                    EntityUtils.consume(response.getEntity());
                    return response.getStatusLine().getStatusCode();
                });
            });
        }
    }

    static String bench(String args) {
        int concurrency = Integer.parseInt(args.split(" ")[1]);
        CloseableHttpClient client = BENCH_CLIENT.updateAndGet(c -> c != null ? c : pooled(concurrency));
        return ClientLoad.bench(args, port -> client.execute(new HttpGet(ClientLoad.origin(port) + "/"),
                response -> EntityUtils.toString(response.getEntity())));
    }
}
