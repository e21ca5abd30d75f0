package app;

import app.control.AppControl;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import akka.actor.ActorSystem;
import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.ServerBuilder;
import akka.http.javadsl.server.Directives;

import java.util.concurrent.TimeUnit;

/**
 * An Akka HTTP 10.2 server answering "ok" on every path, from Java (its javadsl). Its own idle
 * ({@code akka.http.server.idle-timeout}, 60 s by default; no header deadline): -Dapp.idle=MS sets it. Over TLS with
 * -Dapp.tls.keystore; HTTP/2 enabled with -Dapp.h2=true.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Config config = ConfigFactory.load();
        if (AppControl.ownIdleMs() > 0) {
            config = ConfigFactory.parseString("akka.http.server.idle-timeout = " + AppControl.ownIdleMs() + "ms")
                    .withFallback(config);
        }
        if (Boolean.getBoolean("app.h2")) {
            // HTTP/2 beside HTTP/1.1: h2c by prior knowledge, h2 by ALPN over TLS
            config = ConfigFactory.parseString("akka.http.server.preview.enable-http2 = on").withFallback(config);
        }
        ActorSystem system = ActorSystem.create("app", config);
        ServerBuilder builder = Http.get(system).newServerAt("127.0.0.1", AppControl.port());
        javax.net.ssl.KeyManagerFactory keys = AppControl.tlsKeys();
        if (keys != null) {
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            builder = builder.enableHttps(ConnectionContext.httpsServer(tls));
        }
        ServerBinding binding = builder.bind(Directives.complete("ok\n")).toCompletableFuture().get(30, TimeUnit.SECONDS);
        AppControl.readyUntilStopped(binding.localAddress().getPort(), Main.class);
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        AppControl.stopped();
    }
}
