package app;

import app.control.AppControl;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.HashMap;
import java.util.Map;

/**
 * A Micronaut 4 application on its Netty HTTP server, on an ephemeral port: Micronaut's own idle
 * ({@code micronaut.server.idle-timeout}, 5 min by default; -Dapp.idle=MS sets it), and {@link OkController}.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.host", "127.0.0.1");
        // Micronaut's "any free port" is -1
        settings.put("micronaut.server.port", AppControl.port() == 0 ? -1 : AppControl.port());
        if (AppControl.ownIdleMs() > 0) {
            settings.put("micronaut.server.idle-timeout", AppControl.ownIdleMs() + "ms");
        }
        ApplicationContext context = Micronaut.build(args).properties(settings).banner(false).start();
        AppControl.readyUntilStopped(context.getBean(EmbeddedServer.class).getPort(), Main.class);
        context.stop();
        AppControl.stopped();
    }
}
