package app.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The deployed WAR's one servlet, mapped to every path by its web.xml: "ok" to any GET or POST, its body read first. */
public class OkServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.getInputStream().transferTo(OutputStream.nullOutputStream());
        response.setContentType("text/plain");
        response.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
    }
}
