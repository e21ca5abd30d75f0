package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.ConnectionState;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.Drain;
import io.outlast.family.Reflection;
import io.outlast.family.Servers;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * A Tomcat endpoint stopping with a drain set ({@code drain=}). Tomcat's own stop pauses the endpoint first
 * ({@code StandardService} and Spring Boot's graceful shutdown alike), and a paused endpoint answers a request on a
 * kept-alive connection 503 and closes it: no drain. So the agent drains before the pause: it closes the server
 * socket as Tomcat's graceful stop does where the socket is bound at start ({@code closeServerSocketGraceful}, which
 * does nothing for the default {@code bindOnInit}: the agent makes the endpoint's socket one bound at start first),
 * answers each request with {@code Connection: close}, and holds the pause until the proxy has let every connection
 * go or the drain ends.
 */
final class TomcatDrain {
    private final ConnectionTracker tracker;
    private final Servers<TomcatConnections.Endpoint> endpoints;

    TomcatDrain(ConnectionTracker tracker, Servers<TomcatConnections.Endpoint> endpoints) {
        this.tracker = tracker;
        this.endpoints = endpoints;
    }

    /** Entry of {@code AbstractEndpoint.pause()} and {@code stop()}, on the stopping thread: returns when drained. */
    void stopping(Object endpoint) throws Exception {
        long drainMs = tracker.timeouts().drainMs;
        TomcatConnections.Endpoint kept = drainMs > 0 ? endpoints.adopt(endpoint) : null;
        if (kept == null || !kept.api.accepting(endpoint)) {
            return;
        }
        stopAccepting(endpoint);
        tracker.beginDrain(new int[] {kept.port}, drainMs).await(TomcatDrain::closeLeft);
    }

    /** The JVM exiting: every endpoint met drains, whether or not the application stops its server. */
    void drainAtExit() throws Exception {
        long drainMs = tracker.timeouts().drainMs;
        if (drainMs <= 0) {
            return;
        }
        List<Object> accepting = new ArrayList<>();
        endpoints.forEach((endpoint, kept) -> {
            if (kept.api.accepting(endpoint)) {
                accepting.add(endpoint);
            }
        });
        for (Object endpoint : accepting) {
            stopAccepting(endpoint);
        }
        if (!accepting.isEmpty()) {
            tracker.beginDrain(null, drainMs).await(TomcatDrain::closeLeft);
        }
    }

    /** Whether the connection's next response is to close it. */
    boolean closeAfterResponse(Object socketWrapper) {
        return tracker.holds(socketWrapper);
    }

    /**
     * Tomcat's graceful close of the server socket: its acceptor stopped, HTTP/2 connections told (GOAWAY), the socket
     * closed, so that the proxy's next connect is refused and goes to another server.
     */
    private static void stopAccepting(Object endpoint) throws ReflectiveOperationException {
        Field bindState = null;
        for (Class<?> c = endpoint.getClass(); bindState == null && c != null; c = c.getSuperclass()) {
            if (c.getName().equals("org.apache.tomcat.util.net.AbstractEndpoint")) {
                bindState = Reflection.field(c, "bindState");
            }
        }
        if (bindState == null) {
            throw new NoSuchFieldException("AbstractEndpoint.bindState");
        }
        Object state = bindState.get(endpoint);
        if (state != null && ((Enum<?>) state).name().equals("BOUND_ON_INIT")) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object onStart = Enum.valueOf((Class) bindState.getType(), "BOUND_ON_START");
            bindState.set(endpoint, onStart);
        }
        endpoint.getClass().getMethod("closeServerSocketGraceful").invoke(endpoint);
    }

    private static void closeLeft(Object wrapper, ConnectionState s) throws ReflectiveOperationException {
        TomcatConnection c = (TomcatConnection) s;
        TomcatApi api = c.api();
        Drain.markLeft(s, TomcatConnections.idleNow(api, wrapper, c));
        api.timeOut(api.endpointOf(wrapper), wrapper, "outlast: drain ended");
    }
}
