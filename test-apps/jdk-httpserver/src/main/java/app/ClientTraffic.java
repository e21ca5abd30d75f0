package app;

import app.control.ClientLoad;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The app as a client of an upstream, through the JDK's {@code HttpClient} (HTTP/1.1; its pool per client), for
 * {@link ClientLoad}'s "traffic" and "bench". The client does not retry a POST.
 */
final class ClientTraffic {
    private static final AtomicReference<HttpClient> BENCH_CLIENT = new AtomicReference<>();

    private ClientTraffic() {
    }

    static String run(String args) {
        return ClientLoad.traffic(args, ClientTraffic::loop);
    }

    private static HttpClient pooled() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static List<String> loop(int port, int loop, int requests, long min, long max) throws Exception {
        HttpClient client = pooled();
        return ClientLoad.posts(requests, min, max, i -> {
            HttpRequest post = HttpRequest.newBuilder(URI.create(ClientLoad.origin(port) + "/orders"))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("order " + loop + "-" + i)).build();
            try {
                return client.send(post, HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        });
    }

    static String bench(String args) {
        HttpClient client = BENCH_CLIENT.updateAndGet(c -> c != null ? c : pooled());
        return ClientLoad.bench(args, port -> client.send(
                HttpRequest.newBuilder(URI.create(ClientLoad.origin(port) + "/")).build(),
                HttpResponse.BodyHandlers.ofString()));
    }
}
