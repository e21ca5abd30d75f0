package app;

import app.control.AppControl;

import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * A Grizzly HTTP server answering "ok" on every path: a server outlast finds and does not govern. Grizzly closes
 * idle connections itself (its keep-alive idle, 30 s by default); -Dapp.idle=MS sets it (to the second).
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        HttpServer server = new HttpServer();
        NetworkListener listener = new NetworkListener("app", "127.0.0.1", AppControl.port());
        if (AppControl.ownIdleMs() > 0) {
            listener.getKeepAlive().setIdleTimeoutInSeconds((int) Math.max(1, AppControl.ownIdleMs() / 1000));
        }
        server.addListener(listener);
        server.getServerConfiguration().addHttpHandler(new HttpHandler() {
            @Override
            public void service(Request request, Response response) throws Exception {
                response.setContentType("text/plain");
                response.getWriter().write("ok\n");
            }
        });
        server.start();
        AppControl.readyUntilStopped(listener.getPort(), Main.class);
        server.shutdownNow();
        AppControl.stopped();
    }
}
