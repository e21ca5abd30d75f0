package app;

import app.control.AppControl;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The JDK's HTTP server answering "ok", on a thread pool (the default runs every exchange on the
 * dispatcher thread, where one slow client stalls all). -Dapp.idle=MS sets the server's own idle interval
 * (its properties, in seconds, with a 100 ms clock tick so that it is measurable); with the tests' TLS key
 * ({@code -Dapp.tls.keystore}) it is an {@code HttpsServer}. Driven through {@link AppControl}.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        if (AppControl.ownIdleMs() > 0) {
            System.setProperty("sun.net.httpserver.idleInterval", Long.toString(Math.max(1, AppControl.ownIdleMs() / 1000)));
            System.setProperty("sun.net.httpserver.clockTick", "100");
        }
        KeyManagerFactory keys = AppControl.tlsKeys();
        HttpServer server;
        if (keys != null) {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", AppControl.port()), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", AppControl.port()), 0);
        }
        // -Dapp.vt=true: a virtual thread per exchange (Java 21+; this source compiles for 17)
        ExecutorService executor = Boolean.getBoolean("app.vt")
                ? (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null)
                : Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.getResponseHeaders().set("X-Virtual-Thread", Boolean.toString(AppControl.onVirtualThread()));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        // the app is a client too (the JDK's HttpClient), of an upstream the test names
        AppControl.command("traffic", ClientTraffic::run);
        AppControl.command("bench", ClientTraffic::bench);
        AppControl.readyUntilStopped(server.getAddress().getPort(), Main.class);
        server.stop(0);
        executor.shutdownNow();
        AppControl.stopped();
    }
}
