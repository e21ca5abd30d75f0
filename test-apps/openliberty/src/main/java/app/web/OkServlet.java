package app.web;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;

/** "ok" on every path and method (a POST's body read first): deployed into Liberty, never loaded by the app's JVM. */
public final class OkServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (InputStream body = request.getInputStream()) {
            byte[] buffer = new byte[8192];
            while (body.read(buffer) >= 0) {
                // drained: the connection stays kept alive
            }
        }
        response.setContentType("text/plain");
        response.getWriter().write("ok\n");
    }
}
