package app;

import app.control.AppControl;

import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * A Grizzly HTTP server answering "ok" on every path, as Jersey's grizzly2 container builds one. Grizzly closes idle
 * connections itself (its keep-alive idle, 30 s by default); -Dapp.idle=MS sets it (to the second). Over TLS with
 * -Dapp.tls.keystore; its requests on virtual threads with -Dapp.vt=true.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        HttpServer server = new HttpServer();
        NetworkListener listener = new NetworkListener("app", "127.0.0.1", AppControl.port());
        if (AppControl.ownIdleMs() > 0) {
            listener.getKeepAlive().setIdleTimeoutInSeconds((int) Math.max(1, AppControl.ownIdleMs() / 1000));
        }
        javax.net.ssl.KeyManagerFactory keys = AppControl.tlsKeys();
        if (keys != null) {
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            listener.setSecure(true);
            listener.setSSLEngineConfig(new org.glassfish.grizzly.ssl.SSLEngineConfigurator(tls, false, false, false));
        }
        if (Boolean.getBoolean("app.vt")) {
            // a virtual thread per request (Java 21+), as an application hands Grizzly an executor of its own
            listener.getTransport().setWorkerThreadPool((java.util.concurrent.ExecutorService)
                    java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null));
        }
        server.addListener(listener);
        server.getServerConfiguration().addHttpHandler(new HttpHandler() {
            @Override
            public void service(Request request, Response response) throws Exception {
                response.setContentType("text/plain");
                response.setHeader("X-Virtual-Thread", String.valueOf(AppControl.onVirtualThread()));
                response.getWriter().write("ok\n");
            }
        });
        server.start();
        AppControl.readyUntilStopped(listener.getPort(), Main.class);
        server.shutdownNow();
        AppControl.stopped();
    }
}
