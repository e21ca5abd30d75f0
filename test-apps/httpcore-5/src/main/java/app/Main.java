package app;

import app.control.AppControl;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.impl.bootstrap.HttpServer;
import org.apache.hc.core5.http.impl.bootstrap.ServerBootstrap;
import org.apache.hc.core5.http.io.HttpRequestHandler;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

import java.net.InetAddress;

/**
 * Apache HttpCore 5's classic (blocking) server answering "ok": its idle is the socket's read timeout
 * ({@code SocketConfig} soTimeout, 3 min by default; -Dapp.idle=MS sets it). outlast finds it and names it, and
 * does not govern it. Driven through {@link AppControl}. Its "traffic" and "bench" commands make it a client of another
 * server, through HttpClient 5's classic pool ({@link ClientTraffic}), or 4.5's with -Dapp.client=httpclient4
 * ({@link Client4Traffic}), or OkHttp's with -Dapp.client=okhttp ({@link OkHttpTraffic}).
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        SocketConfig.Builder socket = SocketConfig.custom();
        if (AppControl.ownIdleMs() > 0) {
            socket.setSoTimeout(Timeout.ofMilliseconds(AppControl.ownIdleMs()));
        }
        HttpRequestHandler ok = (request, response, context) ->
                response.setEntity(new StringEntity("ok\n", ContentType.TEXT_PLAIN));
        HttpServer server = ServerBootstrap.bootstrap()
                .setLocalAddress(InetAddress.getLoopbackAddress())
                .setListenerPort(AppControl.port())
                .setSocketConfig(socket.build())
                // every host: a router by authority answers 421 to any but the server's own name
                .setRequestRouter((request, context) -> ok)
                .create();
        server.start();
        if ("httpclient4".equals(System.getProperty("app.client"))) {
            AppControl.command("traffic", Client4Traffic::run);
            AppControl.command("bench", Client4Traffic::bench);
        } else if ("okhttp".equals(System.getProperty("app.client"))) {
            AppControl.command("traffic", OkHttpTraffic::run);
            AppControl.command("bench", OkHttpTraffic::bench);
        } else {
            AppControl.command("traffic", ClientTraffic::run);
            AppControl.command("bench", ClientTraffic::bench);
        }
        AppControl.readyUntilStopped(server.getLocalPort(), Main.class);
        server.close(CloseMode.GRACEFUL);
        AppControl.stopped();
    }
}
