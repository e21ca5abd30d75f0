package io.outlast.instrumentation.jetty;

import io.outlast.family.ApiCache;
import io.outlast.family.Reflection;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.first;
import static io.outlast.family.Reflection.load;

/**
 * Jetty's public API as one class loader sees it, resolved once by name. Methods are taken from the
 * public types that declare them (EndPoint, Connection, ...), so they work on any implementation,
 * and from whichever of a renamed pair the version has (HttpConnection moved to server.internal in
 * 12; getRemoteAddress gave way to getRemoteSocketAddress).
 */
final class JettyApi {
    private static final ApiCache<JettyApi> CACHE = new ApiCache<>(JettyApi::new);

    final String version;
    final Class<?> endPointType;
    private final Method setIdle;
    private final Method getIdle;
    private final Method idleFor;
    private final Method isOutputShutdown;
    private final Method isOpen;
    private final Method close;
    private final Method connection;
    private final Method created;
    private final Method localAddress;
    private final Method remoteAddress;
    private final Class<?> networkConnector;
    private final Method host;
    private final Method localPort;
    private final Method connectorGetIdle;
    private final Method connectorSetIdle;
    private final Method connectedEndPoints;
    private final Method isRunning;
    /** The connector's graceful shutdown begun ({@code Graceful.isShutdown}); null where a version lacks it. */
    private final Method isShutdown;
    /** The connector's graceful shutdown: it stops accepting, and answers every request with Connection: close. */
    private final Method shutdown;
    private final Method serverConnectors;
    private final Class<?> httpConnection;
    private final Method parser;
    private final Method connector;
    private final Method messagesIn;
    private final Class<?> sslConnection;
    private final Method sslEndPoint;
    private final Method sslEngine;
    /** A TLS connection's request side: its SslConnection (the outer instance), whose network end point the agent follows; null where not as known. */
    private final Field sslEndPointOuter;
    private final Method networkEndPoint;
    private final Method bytesIn;
    private final Method state;
    /** Connections that choose the protocol (ALPN; 10+ also port unification), before HTTP/1.1 or HTTP/2. */
    private final Class<?>[] choosing;
    /** Jetty 10+; 9.4 does not record when a request began. */
    private final Method beginNanos;
    private final int contentOrdinal;

    /**
     * The API as the class's loader sees it, or null where it lacks part of Jetty's server (a loader with
     * only Jetty's client, say); either answer is remembered, so a miss costs one failed lookup per loader.
     */
    static JettyApi of(Class<?> serverClass) {
        return CACHE.get(serverClass);
    }

    /** What the class's loader lacks of the API, for the warning that leaves the server alone; null if nothing. */
    static String missing(Class<?> serverClass) {
        return CACHE.missing(serverClass);
    }

    private JettyApi(ClassLoader cl) throws ReflectiveOperationException {
        version = String.valueOf(load(cl, "org.eclipse.jetty.util.Jetty").getField("VERSION").get(null));
        endPointType = load(cl, "org.eclipse.jetty.io.EndPoint");
        setIdle = endPointType.getMethod("setIdleTimeout", long.class);
        getIdle = endPointType.getMethod("getIdleTimeout");
        idleFor = load(cl, "org.eclipse.jetty.io.IdleTimeout").getMethod("getIdleFor");
        isOutputShutdown = endPointType.getMethod("isOutputShutdown");
        isOpen = endPointType.getMethod("isOpen");
        close = endPointType.getMethod("close");
        connection = endPointType.getMethod("getConnection");
        created = endPointType.getMethod("getCreatedTimeStamp");
        localAddress = first(endPointType, "getLocalSocketAddress", "getLocalAddress");
        remoteAddress = first(endPointType, "getRemoteSocketAddress", "getRemoteAddress");
        networkConnector = load(cl, "org.eclipse.jetty.server.NetworkConnector");
        host = networkConnector.getMethod("getHost");
        localPort = networkConnector.getMethod("getLocalPort");
        Class<?> abstractConnector = load(cl, "org.eclipse.jetty.server.AbstractConnector");
        connectorGetIdle = abstractConnector.getMethod("getIdleTimeout");
        connectorSetIdle = abstractConnector.getMethod("setIdleTimeout", long.class);
        connectedEndPoints = abstractConnector.getMethod("getConnectedEndPoints");
        isRunning = load(cl, "org.eclipse.jetty.util.component.LifeCycle").getMethod("isRunning");
        isShutdown = Reflection.optional(abstractConnector, "isShutdown");
        shutdown = abstractConnector.getMethod("shutdown");
        serverConnectors = load(cl, "org.eclipse.jetty.server.Server").getMethod("getConnectors");
        Class<?> hc;
        try {
            hc = load(cl, "org.eclipse.jetty.server.HttpConnection");
        } catch (ClassNotFoundException e) {
            hc = load(cl, "org.eclipse.jetty.server.internal.HttpConnection");
        }
        httpConnection = hc;
        parser = hc.getMethod("getParser");
        connector = hc.getMethod("getConnector");
        messagesIn = load(cl, "org.eclipse.jetty.io.Connection").getMethod("getMessagesIn");
        sslConnection = load(cl, "org.eclipse.jetty.io.ssl.SslConnection");
        sslEndPoint = first(sslConnection, "getSslEndPoint", "getDecryptedEndPoint");
        sslEngine = sslConnection.getMethod("getSSLEngine");
        Field outer;
        try {
            outer = field(sslEndPoint.getReturnType(), "this$0");
        } catch (NoSuchFieldException | RuntimeException e) {
            outer = null; // its shutdowns are then seen at the network end point only
        }
        sslEndPointOuter = outer;
        networkEndPoint = load(cl, "org.eclipse.jetty.io.Connection").getMethod("getEndPoint");
        bytesIn = load(cl, "org.eclipse.jetty.io.Connection").getMethod("getBytesIn");
        Class<?> httpParser = load(cl, "org.eclipse.jetty.http.HttpParser");
        state = httpParser.getMethod("getState");
        beginNanos = Reflection.optional(httpParser, "getBeginNanoTime");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Enum<?> content = Enum.valueOf((Class) load(cl, "org.eclipse.jetty.http.HttpParser$State"), "CONTENT");
        contentOrdinal = content.ordinal();
        choosing = optional(cl, "org.eclipse.jetty.server.NegotiatingServerConnection",
                "org.eclipse.jetty.server.DetectorConnectionFactory$DetectorConnection");
    }

    /** A server's connectors. */
    Object[] connectors(Object server) throws ReflectiveOperationException {
        return (Object[]) serverConnectors.invoke(server);
    }

    /** Begins the connector's graceful shutdown (already begun: nothing more). */
    void shutdown(Object connector) throws ReflectiveOperationException {
        shutdown.invoke(connector);
    }

    int localPort(Object networkConnector) throws ReflectiveOperationException {
        return (Integer) localPort.invoke(networkConnector);
    }

    boolean isNetworkConnector(Object c) {
        return networkConnector.isInstance(c);
    }

    String address(Object networkConnector) throws ReflectiveOperationException {
        Object h = host.invoke(networkConnector);
        return (h == null ? "0.0.0.0" : h) + ":" + localPort.invoke(networkConnector);
    }

    long connectorIdle(Object c) throws ReflectiveOperationException {
        return (Long) connectorGetIdle.invoke(c);
    }

    void setConnectorIdle(Object c, long ms) throws ReflectiveOperationException {
        connectorSetIdle.invoke(c, ms);
    }

    Collection<?> endPoints(Object c) throws ReflectiveOperationException {
        return (Collection<?>) connectedEndPoints.invoke(c);
    }

    boolean isRunning(Object c) throws ReflectiveOperationException {
        return (Boolean) isRunning.invoke(c);
    }

    /**
     * Whether the connector is stopping: stopped, or in a graceful shutdown (still running, accepting nothing, its
     * idle connections cut to its shutdown idle timeout, 1 s).
     */
    boolean stopping(Object c) throws ReflectiveOperationException {
        return !(Boolean) isRunning.invoke(c) || (isShutdown != null && (Boolean) isShutdown.invoke(c));
    }

    long idle(Object ep) throws ReflectiveOperationException {
        return (Long) getIdle.invoke(ep);
    }

    void setIdle(Object ep, long ms) throws ReflectiveOperationException {
        setIdle.invoke(ep, ms);
    }

    long idleFor(Object ep) throws ReflectiveOperationException {
        return (Long) idleFor.invoke(ep);
    }

    /**
     * How long since the application's side last had bytes: over TLS the decrypted end point's, because the
     * peer's close_notify makes the network end point busy just before the close that reads it.
     */
    long requestSideIdleFor(Object ep) throws ReflectiveOperationException {
        Object c = connection.invoke(ep);
        return idleFor(sslConnection.isInstance(c) ? sslEndPoint.invoke(c) : ep);
    }

    boolean isOutputShutdown(Object ep) throws ReflectiveOperationException {
        return (Boolean) isOutputShutdown.invoke(ep);
    }

    boolean isOpen(Object ep) throws ReflectiveOperationException {
        return (Boolean) isOpen.invoke(ep);
    }

    void close(Object ep) throws ReflectiveOperationException {
        close.invoke(ep);
    }

    long createdMillis(Object ep) throws ReflectiveOperationException {
        return (Long) created.invoke(ep);
    }

    /** The endpoint's own address object, formatted only when its close is logged. */
    Object local(Object ep) {
        return address(ep, localAddress);
    }

    Object remote(Object ep) {
        return address(ep, remoteAddress);
    }

    /** The HTTP/1.1 connection on the endpoint, looking through TLS; null for anything else (HTTP/2, upgraded). */
    Object httpConnection(Object ep) throws ReflectiveOperationException {
        Object c = applicationConnection(ep);
        return httpConnection.isInstance(c) ? c : null;
    }

    /** The connection the application's protocol runs on: the end point's, or over TLS the decrypted one's. */
    Object applicationConnection(Object ep) throws ReflectiveOperationException {
        Object c = connection.invoke(ep);
        return sslConnection.isInstance(c) ? connection.invoke(sslEndPoint.invoke(c)) : c;
    }

    /**
     * The end point keeps the connector's idle timeout: it speaks HTTP/1.1 or HTTP/2, or is still choosing one (a
     * TLS handshake with ALPN). An upgraded one (a WebSocket) has the application's.
     */
    boolean connectorTimed(Object ep) throws ReflectiveOperationException {
        Object c = applicationConnection(ep);
        if (httpConnection.isInstance(c) || JettyHttp2.ofConnection(c) != null) {
            return true;
        }
        for (Class<?> type : choosing) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** The HTTP/2 session on the endpoint, looking through TLS; null for anything else. */
    Object h2Session(Object ep) throws ReflectiveOperationException {
        Object c = applicationConnection(ep);
        JettyHttp2 h2 = JettyHttp2.ofConnection(c);
        return h2 == null ? null : h2.session(c);
    }

    /**
     * Over TLS, a handshake begun and not finished: bytes have arrived and no session is made yet. Asked only of a
     * connection that has had no request, which has finished its handshake (TLS 1.3 has no renegotiation).
     */
    boolean handshaking(Object ep, Object httpConnection) throws ReflectiveOperationException {
        Object c = connection.invoke(ep);
        if (!sslConnection.isInstance(c) || (Long) messagesIn.invoke(httpConnection) > 0 || (Long) bytesIn.invoke(c) == 0) {
            return false;
        }
        SSLSession session = ((SSLEngine) sslEngine.invoke(c)).getSession();
        return session == null || "NONE".equals(session.getProtocol());
    }

    /**
     * Over TLS, the peer's close_notify has been read. Jetty reports it to the request's side as the end of
     * input, with no shutdown of the network endpoint's input, and closes: the peer closed first.
     */
    boolean tlsClosedByPeer(Object ep) throws ReflectiveOperationException {
        Object c = connection.invoke(ep);
        return sslConnection.isInstance(c) && ((SSLEngine) sslEngine.invoke(c)).isInboundDone();
    }

    /** The network end point under a TLS connection's request-side end point, or null if {@code ep} is not one. */
    Object networkUnder(Object ep) throws ReflectiveOperationException {
        if (sslEndPointOuter == null || !sslEndPoint.getReturnType().isInstance(ep)) {
            return null;
        }
        Object ssl = sslEndPointOuter.get(ep);
        return ssl == null ? null : networkEndPoint.invoke(ssl);
    }

    /** The end point a connection is on (over TLS, the request side's). */
    Object endPointOf(Object connection) throws ReflectiveOperationException {
        return networkEndPoint.invoke(connection);
    }

    Object connectorOf(Object ep) throws ReflectiveOperationException {
        Object c = httpConnection(ep);
        return c == null ? null : connector.invoke(c);
    }

    long requests(Object ep) throws ReflectiveOperationException {
        Object c = applicationConnection(ep);
        return c == null ? 0 : (Long) messagesIn.invoke(c);
    }

    Object parser(Object httpConnection) throws ReflectiveOperationException {
        return parser.invoke(httpConnection);
    }

    /** Between a request's first byte and the end of its headers. */
    boolean inHeaders(Object parser) throws ReflectiveOperationException {
        int ordinal = ((Enum<?>) state.invoke(parser)).ordinal();
        return ordinal != 0 && ordinal < contentOrdinal;
    }

    /** Waiting for a request's first byte. */
    boolean waiting(Object parser) throws ReflectiveOperationException {
        return ((Enum<?>) state.invoke(parser)).ordinal() == 0;
    }

    /** Whether the parser says when a request's first byte was parsed (10 and later). */
    boolean timesBegin() {
        return beginNanos != null;
    }

    /** Over TLS, the handshake is not done (or not begun). */
    boolean tlsHandshakePending(Object ep) throws ReflectiveOperationException {
        Object c = connection.invoke(ep);
        if (!sslConnection.isInstance(c)) {
            return false;
        }
        SSLSession session = ((SSLEngine) sslEngine.invoke(c)).getSession();
        return session == null || "NONE".equals(session.getProtocol());
    }

    /** When the current request's first byte was parsed, or {@code Long.MIN_VALUE} where Jetty does not say (9.4). */
    long beginNanos(Object parser) throws ReflectiveOperationException {
        return beginNanos == null ? Long.MIN_VALUE : (Long) beginNanos.invoke(parser);
    }

    private static Class<?>[] optional(ClassLoader cl, String... names) {
        List<Class<?>> found = new ArrayList<>();
        for (String name : names) {
            try {
                found.add(load(cl, name));
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this line
            }
        }
        return found.toArray(new Class<?>[0]);
    }

    private static Object address(Object ep, Method m) {
        try {
            return m.invoke(ep);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "-";
        }
    }
}
