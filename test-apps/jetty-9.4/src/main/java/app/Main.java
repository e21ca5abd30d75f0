package app;

import app.control.AppControl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Embedded Jetty 9.4 or 10.0 (test-apps jetty-9.4 and jetty-10.0 build this one source) answering "ok" to
 * every request. -Dapp.idle=MS sets the connector's own idle timeout (default: Jetty's); -Dapp.tls.keystore=PATH
 * (PKCS12) and -Dapp.tls.password serve TLS only. Driven by the tests through {@link AppControl}.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Server server = new Server();
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
        server.setHandler(new AbstractHandler() {
            @Override
            public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                    throws IOException {
                base.setHandled(true);
                response.setStatus(200);
                response.setContentType("text/plain");
                response.setContentLength(3);
                response.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
            }
        });
        server.start();
        AppControl.readyUntilStopped(connector.getLocalPort(), Main.class);
        server.stop();
        AppControl.stopped();
    }
}
