package app;

import java.time.Duration;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/** A WebSocket at /ws that ignores what it is sent, with an idle timeout the application chose. */
final class WebSockets {
    private WebSockets() {
    }

    static Handler around(Handler http, long idleMs) {
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler();
        upgrade.addMapping("/ws", WebSocketNegotiator.from((request, response, callback) -> new Ignoring(),
                (pojo, request, response) -> (FrameHandler) pojo,
                configuration -> configuration.setIdleTimeout(Duration.ofMillis(idleMs))));
        upgrade.setHandler(http);
        return upgrade;
    }

    private static final class Ignoring implements FrameHandler {
        @Override
        public void onOpen(CoreSession session, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus status, Callback callback) {
            callback.succeeded();
        }
    }
}
