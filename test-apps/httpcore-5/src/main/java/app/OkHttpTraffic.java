package app;

import app.control.ClientLoad;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link ClientTraffic} through OkHttp 4's pool: it keeps an idle connection 5 minutes and reads no {@code Keep-Alive}
 * header. Its retry on a connection's failure is off: on, it sends a failed POST again on a new connection (its
 * default, which hides the race and repeats the POST).
 */
final class OkHttpTraffic {
    private static final AtomicReference<OkHttpClient> BENCH_CLIENT = new AtomicReference<>();
    private static final MediaType TEXT = MediaType.get("text/plain");

    private OkHttpTraffic() {
    }

    static String run(String args) {
        return ClientLoad.traffic(args, OkHttpTraffic::loop);
    }

    private static OkHttpClient pooled() {
        return new OkHttpClient.Builder().connectionPool(new ConnectionPool()).retryOnConnectionFailure(false).build();
    }

    private static List<String> loop(int port, int loop, int requests, long min, long max) throws Exception {
        OkHttpClient client = pooled();
        try {
            return ClientLoad.posts(requests, min, max, i -> {
                Request post = new Request.Builder().url(ClientLoad.origin(port) + "/orders")
                        .post(RequestBody.create("order " + loop + "-" + i, TEXT)).build();
                try (Response response = client.newCall(post).execute()) {
                    response.body().string();
                    return response.code();
                }
            });
        } finally {
            client.connectionPool().evictAll();
            client.dispatcher().executorService().shutdown();
        }
    }

    static String bench(String args) {
        OkHttpClient client = BENCH_CLIENT.updateAndGet(c -> c != null ? c : pooled());
        return ClientLoad.bench(args, port -> {
            try (Response response = client.newCall(new Request.Builder().url(ClientLoad.origin(port) + "/").build())
                    .execute()) {
                response.body().string();
            }
        });
    }
}
