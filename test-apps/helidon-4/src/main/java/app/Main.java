package app;

import app.control.AppControl;

import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http2.Http2Config;

import javax.net.ssl.SSLContext;
import java.time.Duration;

/**
 * A Helidon SE WebServer answering "ok" on every path and method, each connection on a virtual thread of its own (as
 * Helidon 4 always serves). HTTP/1.1 only; with -Dapp.h2 HTTP/2 too (h2c by prior knowledge or Upgrade, h2 by ALPN
 * over TLS). Helidon closes idle connections itself, at 5 min by default, checked every 2 min; -Dapp.idle=MS sets
 * it, checked every 100 ms (against its clock, which ticks once a second).
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        WebServerConfig.Builder builder = WebServer.builder()
                .host("127.0.0.1")
                .port(AppControl.port())
                .protocolsDiscoverServices(false)
                .addProtocol(Http1Config.create())
                .routing(r -> r.any((req, res) -> res
                        .header("X-Virtual-Thread", Boolean.toString(AppControl.onVirtualThread()))
                        .send("ok\n")));
        if (Boolean.getBoolean("app.h2")) {
            builder.addProtocol(Http2Config.create());
        }
        if (AppControl.ownIdleMs() > 0) {
            builder.idleConnectionTimeout(Duration.ofMillis(AppControl.ownIdleMs()))
                    .idleConnectionPeriod(Duration.ofMillis(100));
        }
        if (AppControl.tlsKeys() != null) {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(AppControl.tlsKeys().getKeyManagers(), null, null);
            builder.tls(Tls.builder().sslContext(context).build());
        }
        WebServer server = builder.build().start();
        AppControl.readyUntilStopped(server.port(), Main.class);
        server.stop();
        AppControl.stopped();
    }
}
