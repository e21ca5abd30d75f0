package app;

import app.control.AppControl;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;

import java.net.InetSocketAddress;

/**
 * An Armeria HTTP server answering "ok": HTTP/1.1 and HTTP/2 (h2c by upgrade or prior knowledge) on one port, or
 * with the tests' key TLS (h2 by ALPN, else HTTP/1.1). Armeria closes idle connections itself, at 15 s by default;
 * -Dapp.idle=MS sets it.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        // Armeria leaves a connection it answered with "Connection: close" open 3 s for the client to close first;
        // the tests' measurements (idle 2-3 s) expect the server's close at once, as the other servers make it
        if (System.getProperty("com.linecorp.armeria.defaultHttp1ConnectionCloseDelayMillis") == null) {
            System.setProperty("com.linecorp.armeria.defaultHttp1ConnectionCloseDelayMillis", "0");
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", AppControl.port());
        ServerBuilder builder = Server.builder();
        if (System.getProperty("app.tls.keystore") != null) {
            builder.port(address, SessionProtocol.HTTPS).tls(AppControl.tlsKeys());
        } else {
            builder.port(address, SessionProtocol.HTTP);
        }
        if (AppControl.ownIdleMs() > 0) {
            builder.idleTimeoutMillis(AppControl.ownIdleMs());
        }
        // every path, every method: the tests POST to paths of their own
        Server server = builder.serviceUnder("/", (ctx, request) -> HttpResponse.of("ok\n")).build();
        server.start().join();
        AppControl.readyUntilStopped(server.activeLocalPort(), Main.class);
        server.stop().join();
        AppControl.stopped();
    }
}
