package app.web;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The deployed WAR's one servlet: "ok" to any GET or POST, its body read first. */
@WebServlet("/*")
public class OkServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.getInputStream().transferTo(OutputStream.nullOutputStream());
        response.setContentType("text/plain");
        response.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
    }
}
