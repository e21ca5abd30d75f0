package app;

import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.websockets.core.AbstractReceiveListener;

/** A WebSocket at /ws that ignores what it is sent, with an idle timeout the application chose. */
final class WebSockets {
    private WebSockets() {
    }

    static HttpHandler around(HttpHandler http, long idleMs) {
        return Handlers.path(http).addExactPath("/ws", Handlers.websocket((exchange, channel) -> {
            channel.setIdleTimeout(idleMs);
            channel.getReceiveSetter().set(new AbstractReceiveListener() { });
            channel.resumeReceives();
        }));
    }
}
