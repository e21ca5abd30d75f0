package app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;

/**
 * Embedded Jetty 10.0 answering "ok" to every request. -Dapp.idle=MS sets the connector's own idle
 * timeout (default: Jetty's). Prints "READY port=N" once listening; a "stop" line or the end of
 * standard input stops the server; a "load NAME" line answers whether the app can load class NAME.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.getInteger("app.port", 0));
        String idle = System.getProperty("app.idle");
        if (idle != null) {
            connector.setIdleTimeout(Long.parseLong(idle));
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
        System.out.println("READY port=" + connector.getLocalPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
            if (line.startsWith("load ")) {
                // what the application's own class loader can see
                String name = line.substring("load ".length()).trim();
                boolean found;
                try {
                    Class.forName(name, false, Main.class.getClassLoader());
                    found = true;
                } catch (ClassNotFoundException e) {
                    found = false;
                }
                System.out.println("LOAD " + name + " " + found);
                System.out.flush();
            }
        }
        server.stop();
        System.out.println("STOPPED");
        System.out.flush();
    }
}
