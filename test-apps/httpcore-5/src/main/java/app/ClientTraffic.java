package app;

import app.control.ClientLoad;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The app as a client of an upstream, through HttpClient 5's classic pool (what RestTemplate and RestClient use;
 * {@link ClientLoad}): in "traffic" each loop has its own pool of one connection. Retries are off (HttpClient would
 * not retry a POST anyway): a request sent on a connection the upstream closes under it fails, as the race has it.
 * The pool's defaults are kept otherwise (its stale check after 2 s idle, its keep-alive strategy).
 */
final class ClientTraffic {
    /** The bench command's client, kept from one run to the next (its pool warm). */
    private static final AtomicReference<CloseableHttpClient> BENCH_CLIENT = new AtomicReference<>();

    private ClientTraffic() {
    }

    static String run(String args) {
        return ClientLoad.traffic(args, ClientTraffic::loop);
    }

    private static CloseableHttpClient pooled(int connections) {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(connections).setMaxConnPerRoute(connections).build())
                .disableAutomaticRetries().build();
    }

    private static List<String> loop(int port, int loop, int requests, long min, long max) throws Exception {
        try (CloseableHttpClient client = pooled(1)) {
            return ClientLoad.posts(requests, min, max, i -> {
                HttpPost post = new HttpPost(ClientLoad.origin(port) + "/orders");
                post.setEntity(new StringEntity("order " + loop + "-" + i, ContentType.TEXT_PLAIN));
                return client.execute(post, response -> {
                    EntityUtils.consume(response.getEntity());
                    return response.getCode();
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
