package app;

import app.control.AppControl;

import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Environment;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Dropwizard application as its {@code server} command runs it, from a YAML file: one HTTP connector on an
 * ephemeral port (Dropwizard's own idle, 30 s by default; -Dapp.idle=MS sets it), and a servlet answering "ok" on
 * every path (Jersey moved aside).
 */
public final class Main extends Application<Configuration> {
    private static volatile Server jetty;

    public static void main(String[] args) throws Exception {
        long idleMs = AppControl.ownIdleMs();
        Path config = Files.createTempFile("dropwizard", ".yml");
        Files.write(config, ("server:\n"
                + "  type: simple\n"
                + "  applicationContextPath: /\n"
                + "  adminContextPath: /admin\n"
                + "  connector:\n"
                + "    type: http\n"
                + "    bindHost: 127.0.0.1\n"
                + "    port: " + AppControl.port() + "\n"
                + (idleMs > 0 ? "    idleTimeout: " + idleMs + "ms\n" : "")
                + "logging:\n"
                + "  level: WARN\n").getBytes(StandardCharsets.UTF_8));
        new Main().run("server", config.toString());
        AppControl.readyUntilStopped(((ServerConnector) jetty.getConnectors()[0]).getLocalPort(), Main.class);
        jetty.stop();
        AppControl.stopped();
    }

    @Override
    public void run(Configuration configuration, Environment environment) {
        environment.lifecycle().addServerLifecycleListener(server -> jetty = server);
        environment.jersey().setUrlPattern("/jersey/*");
        environment.servlets().addServlet("ok", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
            }
        }).addMapping("/*");
    }
}
