package app;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import org.apache.catalina.Context;
import org.apache.tomcat.websocket.server.WsSci;
import org.apache.tomcat.websocket.server.WsServerContainer;

/** A WebSocket at /ws that ignores what it is sent, with an idle timeout the application chose. */
final class WebSockets {
    private static volatile long idleMs;

    private WebSockets() {
    }

    static void add(Context context, long idle) {
        idleMs = idle;
        context.addServletContainerInitializer(new WsSci(), null);
        // after WsSci, which made the container: initializers run in the order they were added
        context.addServletContainerInitializer((classes, servletContext) -> {
            ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
            // sessions' expiry checked each second, not Tomcat's default ten
            ((WsServerContainer) container).setProcessPeriod(1);
            try {
                container.addEndpoint(ServerEndpointConfig.Builder.create(Ignoring.class, "/ws").build());
            } catch (DeploymentException e) {
                throw new IllegalStateException(e);
            }
        }, null);
    }

    public static final class Ignoring extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxIdleTimeout(idleMs);
        }
    }
}
