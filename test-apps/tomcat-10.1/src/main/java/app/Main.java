package app;

import app.control.AppControl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * Embedded Tomcat 10.1 or 11.0 (test-apps tomcat-10.1 and tomcat-11.0 build this one source) answering "ok"
 * to every request. -Dapp.idle=MS sets the connector's own keepAliveTimeout (default: Tomcat's, which is its
 * connectionTimeout); -Dapp.ws.idle=MS adds a WebSocket at /ws whose sessions the application gives that idle
 * timeout; -Dapp.tls.keystore=PATH (PKCS12) and -Dapp.tls.password serve TLS only (JSSE); -Dapp.h2=true adds
 * HTTP/2 (h2c, and h2 by ALPN over TLS), with -Dapp.h2.idle=MS its own keep-alive; -Dapp.vt=true serves on
 * virtual threads; -Dapp.maxConnections=N holds more than Tomcat's 8192 (the scale benchmark). Driven through
 * {@link AppControl}.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        // -Dapp.protocol=org.apache.coyote.http11.Http11Nio2Protocol for the NIO2 connector
        Connector connector = new Connector(System.getProperty("app.protocol", "HTTP/1.1"));
        connector.setPort(AppControl.port());
        connector.setProperty("address", "127.0.0.1");
        // the scale benchmark holds more connections than Tomcat's 8192
        connector.setProperty("maxConnections", System.getProperty("app.maxConnections", "8192"));
        if (AppControl.ownIdleMs() > 0) {
            connector.setProperty("keepAliveTimeout", Long.toString(AppControl.ownIdleMs()));
        }
        String keyStore = System.getProperty("app.tls.keystore");
        if (keyStore != null) {
            SSLHostConfig tls = new SSLHostConfig();
            SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(tls, SSLHostConfigCertificate.Type.UNDEFINED);
            certificate.setCertificateKeystoreFile(keyStore);
            certificate.setCertificateKeystorePassword(System.getProperty("app.tls.password"));
            certificate.setCertificateKeystoreType("PKCS12");
            tls.addCertificate(certificate);
            connector.addSslHostConfig(tls);
            connector.setSecure(true);
            connector.setScheme("https");
            connector.setProperty("SSLEnabled", "true");
        }
        if (Boolean.getBoolean("app.h2")) {
            // as Spring Boot's server.http2.enabled: Tomcat's own keep-alive for HTTP/2 (20 s) stays
            Http2Protocol h2 = new Http2Protocol();
            if (Long.getLong("app.h2.idle", -1) > 0) {
                h2.setKeepAliveTimeout(Long.getLong("app.h2.idle"));
            }
            connector.addUpgradeProtocol(h2);
        }
        if (Boolean.getBoolean("app.vt")) {
            // every request on a virtual thread (Java 21+)
            connector.setProperty("useVirtualThreads", "true");
        }
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "ok", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.setContentLength(3);
                response.setHeader("X-Virtual-Thread", Boolean.toString(AppControl.onVirtualThread()));
                response.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
            }
        });
        context.addServletMappingDecoded("/", "ok");
        long wsIdleMs = Long.getLong("app.ws.idle", -1);
        if (wsIdleMs > 0) {
            WebSockets.add(context, wsIdleMs);
        }
        tomcat.start();
        AppControl.readyUntilStopped(connector.getLocalPort(), Main.class);
        tomcat.stop();
        tomcat.destroy();
        AppControl.stopped();
    }
}
