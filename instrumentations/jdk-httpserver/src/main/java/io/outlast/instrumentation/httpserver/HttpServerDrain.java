package io.outlast.instrumentation.httpserver;

import com.sun.net.httpserver.Headers;
import io.outlast.bootstrap.ConnectionState;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.Drain;
import io.outlast.family.Servers;

import java.util.ArrayList;
import java.util.List;

/**
 * The JDK's server stopping with a drain set ({@code drain=}). Its own {@code stop(delay)} closes the listening
 * channel, returns as soon as no exchange is in flight, and then closes every connection at once, idle ones too: the
 * race. The agent drains before it: it closes the listening channel (new connections refused), answers each request
 * with {@code Connection: close}, and holds the stop until the proxy has let every connection go or the drain ends.
 */
final class HttpServerDrain {
    private final ConnectionTracker tracker;
    private final Servers<HttpServerApi> servers;

    HttpServerDrain(ConnectionTracker tracker, Servers<HttpServerApi> servers) {
        this.tracker = tracker;
        this.servers = servers;
    }

    /** Entry of {@code ServerImpl.stop(int)}, on the stopping thread: returns when drained. */
    void stopping(Object server) throws Exception {
        long drainMs = tracker.timeouts().drainMs;
        HttpServerApi api = drainMs > 0 ? servers.adopt(server) : null;
        if (api == null || api.terminating(server)) {
            return;
        }
        if (api.listening(server)) {
            int port = api.port(server);
            api.closeListening(server);
            tracker.beginDrain(new int[] {port}, drainMs).await(HttpServerDrain::closeLeft);
        } else {
            // closed already by the exit's drain: that drain holds the stop
            tracker.awaitUnderWay(HttpServerDrain::closeLeft);
        }
    }

    /** The JVM exiting: every server met drains, whether or not the application stops it. */
    void drainAtExit() throws Exception {
        long drainMs = tracker.timeouts().drainMs;
        if (drainMs <= 0) {
            return;
        }
        List<Object> listening = new ArrayList<>();
        servers.forEach((server, api) -> {
            if (!api.terminating(server) && api.listening(server)) {
                listening.add(server);
            }
        });
        for (Object server : listening) {
            HttpServerApi.of(server.getClass()).closeListening(server);
        }
        if (!listening.isEmpty()) {
            tracker.beginDrain(null, drainMs).await(HttpServerDrain::closeLeft);
        }
    }

    /** Entry of {@code ExchangeImpl.sendResponseHeaders}: whether this response is to close its connection. */
    boolean closeAfterResponse(Object connection, Object responseHeaders) {
        if (!tracker.holds(connection)) {
            return false;
        }
        ((Headers) responseHeaders).set("Connection", "close");
        return true;
    }

    private static void closeLeft(Object connection, ConnectionState s) throws ReflectiveOperationException {
        HttpServerConnection c = (HttpServerConnection) s;
        Drain.markLeft(s, System.currentTimeMillis() - c.idleSinceMillis);
        c.api().close(c.server, connection);
    }
}
