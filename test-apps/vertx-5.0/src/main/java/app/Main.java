package app;

import app.control.AppControl;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;

import java.util.concurrent.TimeUnit;

/**
 * A Vert.x HTTP server (test-apps vertx-4.5 and vertx-5.0 build this one source) answering "ok". Vert.x's
 * idle timeout is none by default; -Dapp.idle=MS sets it. With the tests' key, it serves TLS ({@code setSsl}).
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpServerOptions options = new HttpServerOptions();
        if (AppControl.ownIdleMs() > 0) {
            options.setIdleTimeout((int) AppControl.ownIdleMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        }
        String keystore = System.getProperty("app.tls.keystore");
        if (keystore != null) {
            options.setSsl(true).setKeyCertOptions(new PfxOptions().setPath(keystore)
                    .setPassword(System.getProperty("app.tls.password")));
        }
        HttpServer server = vertx.createHttpServer(options)
                .requestHandler(request -> request.response().putHeader("Content-Type", "text/plain").end("ok\n"));
        server = server.listen(AppControl.port(), "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        AppControl.command("traffic", a -> WebClientTraffic.run(vertx, a));
        AppControl.command("bench", a -> WebClientTraffic.bench(vertx, a));
        AppControl.readyUntilStopped(server.actualPort(), Main.class);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        AppControl.stopped();
    }
}
