package app;

import app.control.AppControl;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The connector of every Jetty app, 9.4 to 12.1 (one source: their handlers differ, javax, jakarta and Jetty 12's own).
 * -Dapp.idle=MS sets its own idle timeout (default: Jetty's); -Dapp.tls.keystore=PATH (PKCS12) and
 * -Dapp.tls.password serve TLS only; -Dapp.h2=true adds HTTP/2 (h2c by prior knowledge, and h2 by ALPN over TLS).
 */
final class Connectors {
    private Connectors() {
    }

    static ServerConnector connector(Server server) {
        String keyStore = System.getProperty("app.tls.keystore");
        boolean h2 = Boolean.getBoolean("app.h2");
        HttpConfiguration http = new HttpConfiguration();
        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        ServerConnector connector;
        if (keyStore != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(keyStore);
            tls.setKeyStorePassword(System.getProperty("app.tls.password"));
            // as a target behind a balancer: its certificate need not name the Host the proxy sends
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            if (h2) {
                ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
                alpn.setDefaultProtocol(http1.getProtocol());
                connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn,
                        new HTTP2ServerConnectionFactory(http), http1);
            } else {
                connector = new ServerConnector(server, tls, http1);
            }
        } else if (h2) {
            connector = new ServerConnector(server, http1, new HTTP2CServerConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, http1);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(AppControl.port());
        if (AppControl.ownIdleMs() > 0) {
            connector.setIdleTimeout(AppControl.ownIdleMs());
        }
        return connector;
    }
}
