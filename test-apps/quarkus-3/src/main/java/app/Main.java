package app;

import app.control.AppControl;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.quarkus.value.registry.ValueRegistry;
import io.quarkus.vertx.http.HttpServer;
import io.vertx.ext.web.Router;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * A Quarkus 3 application answering "ok" on every path, from a route on Quarkus's Vert.x HTTP server. Quarkus's
 * own idle ({@code quarkus.http.idle-timeout}, 30 min by default) is a Vert.x idle timeout; -Dapp.idle=MS sets it.
 * With the tests' TLS key it serves TLS only.
 */
@QuarkusMain
public class Main implements QuarkusApplication {
    @Inject
    ValueRegistry values;

    public static void main(String... args) {
        System.setProperty("quarkus.http.host", "127.0.0.1");
        System.setProperty("quarkus.http.port", Integer.toString(AppControl.port()));
        String keystore = System.getProperty("app.tls.keystore");
        if (keystore != null) {
            // TLS only, on the port asked for
            System.setProperty("quarkus.http.ssl-port", Integer.toString(AppControl.port()));
            System.setProperty("quarkus.http.ssl.certificate.key-store-file", keystore);
            System.setProperty("quarkus.http.ssl.certificate.key-store-password", System.getProperty("app.tls.password"));
            System.setProperty("quarkus.http.insecure-requests", "disabled");
        }
        if (AppControl.ownIdleMs() > 0) {
            System.setProperty("quarkus.http.idle-timeout", AppControl.ownIdleMs() + "ms");
        }
        // Quarkus's own exit handler would end the JVM as soon as it stopped, before the app says so
        Quarkus.run(Main.class, (code, failure) -> { }, args);
        AppControl.stopped();
    }

    @Override
    public int run(String... args) throws Exception {
        // the port bound (with port 0, a free one)
        boolean tls = System.getProperty("app.tls.keystore") != null;
        AppControl.readyUntilStopped(values.get(tls ? HttpServer.HTTPS_PORT : HttpServer.HTTP_PORT), Main.class);
        return 0;
    }

    /** Every path, every method. */
    void routes(@Observes Router router) {
        router.route().handler(rc -> rc.response().putHeader("Content-Type", "text/plain").end("ok\n"));
    }
}
