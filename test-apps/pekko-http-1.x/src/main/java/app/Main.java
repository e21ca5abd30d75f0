package app;

import app.control.AppControl;

import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;

import java.util.concurrent.TimeUnit;

/**
 * An Apache Pekko HTTP server answering "ok" on every path: a server outlast finds and does not govern (its own
 * idle-timeout, 60 s by default, and no header deadline).
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        ActorSystem system = ActorSystem.create("app");
        ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", AppControl.port())
                .bind(Directives.complete("ok\n")).toCompletableFuture().get(30, TimeUnit.SECONDS);
        AppControl.readyUntilStopped(binding.localAddress().getPort(), Main.class);
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        AppControl.stopped();
    }
}
