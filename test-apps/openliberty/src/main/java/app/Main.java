package app;

import app.control.AppControl;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Open Liberty, its distribution (webProfile8, unpacked beside the jar) started in this JVM through its embedding API
 * ({@code com.ibm.wsspi.kernel.embeddable}, on the class path by {@code ws-server.jar}), with a server that answers "ok"
 * on every path from a WAR at the root (its servlet, {@code app.web.OkServlet}, kept in the jar as
 * bytes that no loader of this JVM reads, copied into the WAR's classes). -Dapp.idle=MS sets its own idle (the HTTP channel's {@code persistTimeout}, and
 * the TCP channel's {@code inactivityTimeout} for a new connection's first request). With -Dapp.tls.keystore it serves
 * TLS only (its SSL channel, {@code transportSecurity-1.0}). HTTP/2 is on, as servlet-4.0 ships it (h2c by Upgrade or
 * prior knowledge, h2 by ALPN). Driven through {@link AppControl}.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        int port = AppControl.port();
        if (port == 0) {
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
        }
        Path user = Files.createTempDirectory("liberty-usr");
        Path server = user.resolve("servers/app");
        Path war = server.resolve("apps/ok.war");
        Path servlet = war.resolve("WEB-INF/classes/app/web/OkServlet.class");
        Files.createDirectories(servlet.getParent());
        try (InputStream in = Main.class.getResourceAsStream("/servlet-bytes/app/web/OkServlet.class")) {
            Files.copy(in, servlet);
        }
        String webXml = "<web-app xmlns=\"http://xmlns.jcp.org/xml/ns/javaee\" version=\"4.0\" metadata-complete=\"true\">"
                + "<servlet><servlet-name>ok</servlet-name><servlet-class>app.web.OkServlet</servlet-class></servlet>"
                + "<servlet-mapping><servlet-name>ok</servlet-name><url-pattern>/*</url-pattern></servlet-mapping></web-app>";
        Files.write(war.resolve("WEB-INF/web.xml"), webXml.getBytes(StandardCharsets.UTF_8));
        long idleMs = AppControl.ownIdleMs();
        String idle = idleMs > 0 ? " persistTimeout=\"" + idleMs + "ms\"" : "";
        String tcp = idleMs > 0 ? "<tcpOptions inactivityTimeout=\"" + idleMs + "ms\"/>" : "";
        String keyStore = System.getProperty("app.tls.keystore");
        boolean tls = keyStore != null;
        String xml = "<server><featureManager><feature>servlet-4.0</feature>"
                + (tls ? "<feature>transportSecurity-1.0</feature>" : "") + "</featureManager>"
                + (tls ? "<keyStore id=\"defaultKeyStore\" location=\"" + keyStore + "\" type=\"PKCS12\" password=\""
                        + System.getProperty("app.tls.password") + "\"/>" : "")
                + "<httpEndpoint id=\"defaultHttpEndpoint\" host=\"127.0.0.1\" httpPort=\"" + (tls ? -1 : port)
                + "\" httpsPort=\"" + (tls ? port : -1) + "\">"
                + "<httpOptions" + idle + "/>" + tcp + "</httpEndpoint>"
                + "<webApplication location=\"ok.war\" contextRoot=\"/\"/>"
                + "<applicationMonitor updateTrigger=\"disabled\" dropinsEnabled=\"false\"/>"
                + "<config updateTrigger=\"disabled\"/></server>";
        Files.write(server.resolve("server.xml"), xml.getBytes(StandardCharsets.UTF_8));

        Class<?> builderType = Class.forName("com.ibm.wsspi.kernel.embeddable.ServerBuilder");
        Object builder = builderType.getConstructor().newInstance();
        builderType.getMethod("setName", String.class).invoke(builder, "app");
        builderType.getMethod("setUserDir", File.class).invoke(builder, user.toFile());
        Object liberty = builderType.getMethod("build").invoke(builder);
        Class<?> serverType = Class.forName("com.ibm.wsspi.kernel.embeddable.Server");
        Map<String, String> props = new HashMap<>();
        Future<?> started = (Future<?>) serverType.getMethod("start", Map.class, String[].class)
                .invoke(liberty, props, new String[0]);
        Object result = started.get(120, TimeUnit.SECONDS);
        if (!(Boolean) Class.forName("com.ibm.wsspi.kernel.embeddable.Server$Result").getMethod("successful")
                .invoke(result)) {
            throw new IllegalStateException("Liberty did not start: " + result);
        }
        // an HTTPS endpoint opens once the SSL channel has its key, after the start is reported
        awaitListening(port, 60_000);
        AppControl.readyUntilStopped(port, Main.class);
        ((Future<?>) serverType.getMethod("stop", String[].class).invoke(liberty, (Object) new String[0]))
                .get(60, TimeUnit.SECONDS);
        AppControl.stopped();
    }

    private static void awaitListening(int port, long maxMs) throws InterruptedException {
        long end = System.currentTimeMillis() + maxMs;
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > end) {
                    throw new IllegalStateException("Liberty's endpoint did not open on port " + port);
                }
                Thread.sleep(50);
            }
        }
    }
}
