package io.outlast.it;

import org.junit.jupiter.params.provider.Arguments;

import java.util.List;
import java.util.stream.Stream;

/** Netty 4.1 and 4.2, plain and under Reactor Netty (1.1, 1.2) and Vert.x (4.5, 5.0). */
class NettyTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("netty-4.1", "netty-4.2", "reactor-netty-1.1", "reactor-netty-1.2", "vertx-4.5", "vertx-5.0");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
    }

    @Override
    Family family() {
        return Family.NETTY;
    }

    /** Reactor Netty's and Vert.x's idle handlers sit behind the HTTP decoder: a partial header is no activity. */
    @Override
    boolean ownIdleEndsSlowHeaders(String app) {
        return app.startsWith("reactor-") || app.startsWith("vertx-");
    }

    /** The Netty line under each app. */
    @Override
    String serverLine(String app) {
        return app.startsWith("netty-") || app.equals("vertx-5.0") ? (app.equals("vertx-5.0") ? "4.2" : app.substring(6)) : "4.1";
    }
}
