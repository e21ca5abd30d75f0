package app;

import app.control.ClientLoad;
import org.eclipse.jetty.client.HttpClient;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The app as a client of an upstream through Jetty's HttpClient (one source for every Jetty line: only the calls they
 * share; {@link ClientLoad}). In "traffic" each loop has its own client, its pool of one connection. Jetty does not
 * send a failed POST again; a request on a connection its upstream closed under it fails as the race has it. The
 * client's defaults are kept otherwise (its idle timeout, 30 s).
 */
final class JettyClientTraffic {
    private static final AtomicReference<HttpClient> BENCH_CLIENT = new AtomicReference<>();

    private JettyClientTraffic() {
    }

    static String run(String args) {
        return ClientLoad.traffic(args, JettyClientTraffic::loop);
    }

    private static HttpClient started(int connections) throws Exception {
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(connections);
        client.start();
        return client;
    }

    private static List<String> loop(int port, int loop, int requests, long min, long max) throws Exception {
        HttpClient client = started(1);
        try {
            return ClientLoad.posts(requests, min, max, i -> send(client, ClientLoad.origin(port) + "/orders", true));
        } finally {
            client.stop();
        }
    }

    /** The response's status; a failure as its I/O cause, as the other clients throw theirs. */
    private static int send(HttpClient client, String url, boolean post) throws IOException {
        try {
            // chained: the response's type moved package in 12
            return post ? client.POST(url).send().getStatus() : client.GET(url).getStatus();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IOException(e);
        }
    }

    static String bench(String args) {
        int concurrency = Integer.parseInt(args.split(" ")[1]);
        HttpClient client = BENCH_CLIENT.updateAndGet(c -> {
            try {
                return c != null ? c : started(concurrency);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return ClientLoad.bench(args, port -> send(client, ClientLoad.origin(port) + "/", false));
    }
}
