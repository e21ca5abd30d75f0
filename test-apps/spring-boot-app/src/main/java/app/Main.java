package app;

import app.control.AppControl;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web application answering "ok", on the embedded server its jar packs (Tomcat, Jetty or Undertow).
 * -Dapp.idle=MS sets that server's idle through Spring Boot's own property (Tomcat's keepAliveTimeout, Jetty's idle
 * timeout, Undertow's NO_REQUEST_TIMEOUT; the others' are bound and unused); -Dapp.vt=true serves on virtual threads
 * ({@code spring.threads.virtual.enabled}). Driven through {@link AppControl}.
 */
@SpringBootApplication
@RestController
public class Main {
    @RequestMapping("/**")
    public ResponseEntity<String> ok() {
        return ResponseEntity.ok().header("X-Virtual-Thread", Boolean.toString(AppControl.onVirtualThread())).body("ok\n");
    }

    public static void main(String[] args) throws Exception {
        SpringApplication application = new SpringApplication(Main.class);
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", AppControl.port());
        properties.put("server.address", "127.0.0.1");
        properties.put("spring.main.banner-mode", "off");
        if (Boolean.getBoolean("app.vt")) {
            properties.put("spring.threads.virtual.enabled", "true");
        }
        if (AppControl.ownIdleMs() > 0) {
            String idle = AppControl.ownIdleMs() + "ms";
            properties.put("server.tomcat.keep-alive-timeout", idle);
            properties.put("server.jetty.connection-idle-timeout", idle);
            properties.put("server.undertow.no-request-timeout", idle);
        }
        application.setDefaultProperties(properties);
        ConfigurableApplicationContext context = application.run(args);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        AppControl.readyUntilStopped(port, Main.class);
        context.close();
        AppControl.stopped();
    }
}
