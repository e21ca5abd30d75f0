package app;

import app.control.AppControl;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpResources;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import javax.net.ssl.KeyManagerFactory;

import java.time.Duration;

/**
 * A Reactor Netty HttpServer (test-apps reactor-netty-1.1 and 1.2 build this one source) answering "ok".
 * Reactor Netty's idle timeout is none by default; -Dapp.idle=MS sets it. With the tests' key, it serves TLS ({@code secure()});
 * -Dapp.h2=true adds HTTP/2: {@code H2C} (prior knowledge or upgrade) beside HTTP/1.1, or {@code H2} by ALPN over TLS.
 * Its "traffic" command makes it a client of another server ({@link ClientTraffic}).
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create().host("127.0.0.1").port(AppControl.port())
                .handle((request, response) -> response.header("Content-Type", "text/plain").sendString(Mono.just("ok\n")));
        KeyManagerFactory keys = AppControl.tlsKeys();
        boolean h2 = Boolean.getBoolean("app.h2");
        if (keys != null) {
            server = h2 ? server.secure(spec -> spec.sslContext(Http2SslContextSpec.forServer(keys)))
                    .protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
                    : server.secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(keys)));
        } else if (h2) {
            server = server.protocol(HttpProtocol.H2C, HttpProtocol.HTTP11);
        }
        if (AppControl.ownIdleMs() > 0) {
            server = server.idleTimeout(Duration.ofMillis(AppControl.ownIdleMs()));
        }
        // the app is a client too, as a gateway is: of an upstream the test names
        AppControl.command("traffic", ClientTraffic::run);
        AppControl.command("bench", ClientTraffic::bench);
        DisposableServer running = server.bindNow();
        AppControl.readyUntilStopped(running.port(), Main.class);
        running.disposeNow(Duration.ofSeconds(5));
        // the event loops are shared and outlive the server: released as an application's shutdown does, and
        // awaited (the plain dispose returns at once, and the JVM could exit before the loops close connections)
        HttpResources.disposeLoopsAndConnectionsLater(Duration.ZERO, Duration.ofSeconds(5)).block();
        AppControl.stopped();
    }
}
