package app;

import app.control.AppControl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * Embedded Jetty 12 (test-apps jetty-12.0 and jetty-12.1 build this one source) answering "ok" to every
 * request. -Dapp.idle=MS sets the connector's own idle timeout (default: Jetty's); -Dapp.ws.idle=MS adds a
 * WebSocket at /ws whose sessions the application gives that idle timeout; -Dapp.tls.keystore=PATH (PKCS12) and
 * -Dapp.tls.password serve TLS only, HTTP/1.1 inside. Driven by the tests
 * through {@link AppControl}.
 */
public final class Main {
    private static long wsIdleMs() {
        return Long.getLong("app.ws.idle", -1);
    }

    public static void main(String[] args) throws Exception {
        // -Dapp.vt=true: every request on a virtual thread (Java 21+), Jetty's own pool for them
        Server server = Boolean.getBoolean("app.vt") ? new Server(new VirtualThreadPool()) : new Server();
        String keyStore = System.getProperty("app.tls.keystore");
        ServerConnector connector;
        if (keyStore != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(keyStore);
            tls.setKeyStorePassword(System.getProperty("app.tls.password"));
            // as a target behind a balancer: its certificate need not name the Host the proxy sends
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            HttpConfiguration http = new HttpConfiguration();
            http.addCustomizer(secure);
            connector = new ServerConnector(server, tls, new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(AppControl.port());
        if (AppControl.ownIdleMs() > 0) {
            connector.setIdleTimeout(AppControl.ownIdleMs());
        }
        server.addConnector(connector);
        Handler ok = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 3);
                response.getHeaders().put("X-Virtual-Thread", Boolean.toString(AppControl.onVirtualThread()));
                response.write(true, ByteBuffer.wrap("ok\n".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        };
        server.setHandler(wsIdleMs() > 0 ? WebSockets.around(ok, wsIdleMs()) : ok);
        server.start();
        AppControl.readyUntilStopped(connector.getLocalPort(), Main.class);
        server.stop();
        AppControl.stopped();
    }
}
