package app;

import app.control.AppControl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;

/**
 * Embedded Jetty 9.4 or 10.0 (test-apps jetty-9.4 and jetty-10.0 build this one source) answering "ok" to
 * every request, on the connector {@link Connectors} makes. Driven by the tests through {@link AppControl}.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = Connectors.connector(server);
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
        AppControl.command("traffic", JettyClientTraffic::run);
        AppControl.command("bench", JettyClientTraffic::bench);
        AppControl.readyUntilStopped(connector.getLocalPort(), Main.class);
        server.stop();
        AppControl.stopped();
    }
}
