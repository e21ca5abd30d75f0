package app.web;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;

/**
 * "ok" on every path and method (a POST's body read first), after N ms on {@code /slow/N}: deployed into Liberty, never
 * loaded by the app's JVM.
 */
public final class OkServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (InputStream body = request.getInputStream()) {
            byte[] buffer = new byte[8192];
            while (body.read(buffer) >= 0) {
                // drained: the connection stays kept alive
            }
        }
        String path = request.getRequestURI();
        if (path.startsWith("/slow/")) {
            try {
                Thread.sleep(Long.parseLong(path.substring("/slow/".length())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        response.setContentType("text/plain");
        response.getWriter().write("ok\n");
    }
}
