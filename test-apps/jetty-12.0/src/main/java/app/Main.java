package app;

import app.control.AppControl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * Embedded Jetty 12 (test-apps jetty-12.0 and jetty-12.1 build this one source) answering "ok" to every
 * request, on the connector {@link Connectors} makes (TLS, HTTP/2); -Dapp.ws.idle=MS adds a WebSocket at /ws whose
 * sessions the application gives that idle timeout. Driven by the tests through {@link AppControl}.
 */
public final class Main {
    private static long wsIdleMs() {
        return Long.getLong("app.ws.idle", -1);
    }

    public static void main(String[] args) throws Exception {
        // -Dapp.vt=true: every request on a virtual thread (Java 21+), Jetty's own pool for them
        Server server = Boolean.getBoolean("app.vt") ? new Server(new VirtualThreadPool()) : new Server();
        ServerConnector connector = Connectors.connector(server);
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
        AppControl.command("traffic", JettyClientTraffic::run);
        AppControl.command("bench", JettyClientTraffic::bench);
        AppControl.readyUntilStopped(connector.getLocalPort(), Main.class);
        server.stop();
        AppControl.stopped();
    }
}
