package app;

import app.control.AppControl;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;

import java.net.InetSocketAddress;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Embedded Undertow 2.2 or 2.3 (test-apps undertow-2.2 and undertow-2.3 build this one source) answering
 * "ok". -Dapp.idle=MS sets its own NO_REQUEST_TIMEOUT (default: 60 s, set by Undertow.start);
 * -Dapp.noTimeouts=true unsets it; -Dapp.ws.idle=MS adds a WebSocket at /ws whose channels the application
 * gives that idle timeout; -Dapp.tls.keystore=PATH and -Dapp.tls.password serve TLS only; -Dapp.h2=true enables HTTP/2
 * (h2 by ALPN over TLS, h2c by upgrade); -Dapp.keepAlive=VALUE announces a Keep-Alive header (timeout=2). Driven through
 * {@link AppControl}.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        String keepAlive = System.getProperty("app.keepAlive");
        HttpHandler ok = exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            if (keepAlive != null) {
                exchange.getResponseHeaders().put(Headers.KEEP_ALIVE, keepAlive);
            }
            exchange.getResponseSender().send("ok\n");
        };
        long wsIdleMs = Long.getLong("app.ws.idle", -1);
        Undertow.Builder builder = Undertow.builder();
        SSLContext tls = tls();
        if (tls != null) {
            builder.addHttpsListener(AppControl.port(), "127.0.0.1", tls);
        } else {
            builder.addHttpListener(AppControl.port(), "127.0.0.1");
        }
        builder.setHandler(wsIdleMs > 0 ? WebSockets.around(ok, wsIdleMs) : ok);
        if (AppControl.ownIdleMs() > 0) {
            builder.setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) AppControl.ownIdleMs());
        } else if (Boolean.getBoolean("app.noTimeouts")) {
            // neither timeout: Undertow then makes no timer for its connections at all
            builder.setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, -1);
        }
        if (Boolean.getBoolean("app.h2")) {
            builder.setServerOption(UndertowOptions.ENABLE_HTTP2, true);
        }
        Undertow server = builder.build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        AppControl.readyUntilStopped(port, Main.class);
        server.stop();
        AppControl.stopped();
    }

    /** With the tests' TLS key: an HTTPS listener only. */
    private static SSLContext tls() throws Exception {
        KeyManagerFactory keys = AppControl.tlsKeys();
        if (keys == null) {
            return null;
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
