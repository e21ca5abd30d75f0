package app;

import app.control.AppControl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;

/**
 * Embedded Jetty 11.0 answering "ok" to every request. -Dapp.idle=MS sets the connector's own idle
 * timeout (default: Jetty's). Driven by the tests through {@link AppControl}.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
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
