package io.outlast.instrumentation.undertow;

import io.outlast.family.Addresses;
import io.outlast.family.ApiCache;
import io.outlast.family.Reflection;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.Executor;

import javax.net.ssl.SSLEngine;

import static io.outlast.family.Reflection.load;

/** Undertow's public API as one class loader sees it (plus the builder's options, kept private), resolved once. */
final class UndertowApi {
    private static final String ALPN_READER = "io.undertow.server.protocol.http.AlpnOpenListener$AlpnConnectionListener";
    private static final ApiCache<UndertowApi> CACHE = new ApiCache<>(UndertowApi::new);

    final String version;
    private final Method listenerInfo;
    private final Method listenerAddress;
    private final Field serverOptions;
    private final Method connectionOptions;
    private final Method optionGet;
    private final Method optionGetBoolean;
    private final Object noRequestTimeout;
    private final Object requestParseTimeout;
    private final Method peerAddress;
    private final java.lang.reflect.Constructor<?> newUpdater;
    private final Method addCloseListener;
    private final Method localAddress;
    private final Method ioThread;
    private final Method worker;
    private final Method sourceChannel;
    private final Method readListener;
    private final Method isOpen;
    private final Method workerShutdown;
    /** The connection's channel, and in an HTTPS one its engine and the bytes of a record held; null where not as known. */
    private final Method channel;
    private final Class<?> sslConnection;
    private final Field sslEngine;
    private final Field sslConduit;
    private final Field dataToUnwrap;

    static UndertowApi of(Class<?> undertowClass) {
        return CACHE.get(undertowClass);
    }

    /** What the class's loader lacks of the API, for the warning that leaves the server alone; null if nothing. */
    static String missing(Class<?> undertowClass) {
        return CACHE.missing(undertowClass);
    }

    private UndertowApi(ClassLoader cl) throws ReflectiveOperationException {
        version = String.valueOf(load(cl, "io.undertow.Version").getMethod("getVersionString").invoke(null));
        Class<?> undertow = load(cl, "io.undertow.Undertow");
        listenerInfo = undertow.getMethod("getListenerInfo");
        listenerAddress = load(cl, "io.undertow.Undertow$ListenerInfo").getMethod("getAddress");
        serverOptions = Reflection.field(undertow, "serverOptions");
        Class<?> connection = load(cl, "io.undertow.server.ServerConnection");
        connectionOptions = connection.getMethod("getUndertowOptions");
        // a connected channel's: an HTTP/1.1 connection's, and an HTTP/2 channel's alike
        Class<?> connected = load(cl, "org.xnio.channels.ConnectedChannel");
        peerAddress = connected.getMethod("getPeerAddress");
        localAddress = connected.getMethod("getLocalAddress");
        Class<?> updater = load(cl, "io.undertow.server.protocol.ParseTimeoutUpdater");
        newUpdater = updater.getConstructor(load(cl, "org.xnio.channels.ConnectedChannel"),
                long.class, long.class);
        addCloseListener = connection.getMethod("addCloseListener",
                load(cl, "io.undertow.server.ServerConnection$CloseListener"));
        Class<?> optionMap = load(cl, "org.xnio.OptionMap");
        optionGet = optionMap.getMethod("get", load(cl, "org.xnio.Option"), int.class);
        optionGetBoolean = optionMap.getMethod("get", load(cl, "org.xnio.Option"), boolean.class);
        Class<?> options = load(cl, "io.undertow.UndertowOptions");
        noRequestTimeout = options.getField("NO_REQUEST_TIMEOUT").get(null);
        requestParseTimeout = options.getField("REQUEST_PARSE_TIMEOUT").get(null);
        ioThread = connected.getMethod("getIoThread");
        worker = load(cl, "org.xnio.XnioIoThread").getMethod("getWorker");
        workerShutdown = load(cl, "org.xnio.XnioWorker").getMethod("isShutdown");
        sourceChannel = load(cl, "org.xnio.StreamConnection").getMethod("getSourceChannel");
        readListener = load(cl, "org.xnio.conduits.ConduitStreamSourceChannel").getMethod("getReadListener");
        isOpen = load(cl, "org.xnio.channels.CloseableChannel").getMethod("isOpen");
        Method channelOf = null;
        Class<?> ssl = null;
        Field engine = null;
        Field conduit = null;
        Field held = null;
        try {
            channelOf = load(cl, "io.undertow.server.AbstractServerConnection").getMethod("getChannel");
            ssl = load(cl, "io.undertow.protocols.ssl.UndertowSslConnection");
            engine = Reflection.field(ssl, "engine");
            conduit = Reflection.field(ssl, "sslConduit");
            held = Reflection.field(load(cl, "io.undertow.protocols.ssl.SslConduit"), "dataToUnwrap");
        } catch (ReflectiveOperationException | RuntimeException e) {
            ssl = null; // HTTPS is governed all the same, its handshake waiting out idle as Undertow has it
        }
        channel = channelOf;
        sslConnection = ssl;
        sslEngine = engine;
        sslConduit = conduit;
        dataToUnwrap = held;
    }

    /** The connection's TLS channel (Undertow's own TLS), or null. */
    Object tlsChannel(Object connection) throws ReflectiveOperationException {
        if (sslConnection == null || !channel.getDeclaringClass().isInstance(connection)) {
            return null;
        }
        Object c = channel.invoke(connection);
        return sslConnection.isInstance(c) ? c : null;
    }

    /**
     * A handshake begun and not finished: no session yet, and the ClientHello read (a handshake session made) or
     * part of a record held. One that has received nothing is an idle connection. From the sweep's thread: the
     * engine's own lock, held by a wrap or an unwrap for microseconds; the buffer's field is volatile.
     */
    boolean handshaking(Object tlsChannel) throws ReflectiveOperationException {
        SSLEngine engine = (SSLEngine) sslEngine.get(tlsChannel);
        if (!"NONE".equals(engine.getSession().getProtocol())) {
            return false;
        }
        return engine.getHandshakeSession() != null || dataToUnwrap.get(sslConduit.get(tlsChannel)) != null;
    }

    /** The connection's I/O thread, where Undertow closes it on its own timeouts. */
    Executor ioThread(Object connection) throws ReflectiveOperationException {
        return (Executor) ioThread.invoke(connection);
    }

    /**
     * Whether the connection's XNIO worker is shutting down: the server it serves is stopping, whoever stops it (an
     * application server stops its listeners and then its workers, without {@code Undertow.stop}).
     */
    boolean workerShutDown(Object connection) throws ReflectiveOperationException {
        return (Boolean) workerShutdown.invoke(worker.invoke(ioThread.invoke(connection)));
    }

    /** Whether ALPN's listener still reads the TLS connection: its handshake not done, no protocol chosen. */
    boolean choosingProtocol(Object streamConnection) throws ReflectiveOperationException {
        if (!(Boolean) isOpen.invoke(streamConnection)) {
            return false;
        }
        Object listener = readListener.invoke(sourceChannel.invoke(streamConnection));
        return listener != null && listener.getClass().getName().equals(ALPN_READER);
    }

    List<?> listeners(Object undertow) throws ReflectiveOperationException {
        return (List<?>) listenerInfo.invoke(undertow);
    }

    String listenerAddress(Object listener) throws ReflectiveOperationException {
        return Addresses.format((SocketAddress) listenerAddress.invoke(listener));
    }

    Object serverOptions(Object undertow) throws IllegalAccessException {
        return serverOptions.get(undertow);
    }

    Object connectionOptions(Object connection) throws ReflectiveOperationException {
        return connectionOptions.invoke(connection);
    }

    /** NO_REQUEST_TIMEOUT in an option map, or -1. */
    long idleMs(Object options) throws ReflectiveOperationException {
        return (Integer) optionGet.invoke(options, noRequestTimeout, -1);
    }

    /** REQUEST_PARSE_TIMEOUT in an option map, or -1. */
    long parseMs(Object options) throws ReflectiveOperationException {
        return (Integer) optionGet.invoke(options, requestParseTimeout, -1);
    }

    /** A timer as Undertow makes one, with the given timeouts (-1: none), cancelled when the connection closes. */
    Object newUpdater(Object connection, long parseMs, long idleMs) throws ReflectiveOperationException {
        Object updater = newUpdater.newInstance(connection, parseMs, idleMs);
        addCloseListener.invoke(connection, updater);
        return updater;
    }

    /** The connection's address object (packed or formatted by the agent, never a string per connection here). */
    Object local(Object connection) {
        try {
            return localAddress.invoke(connection);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "-";
        }
    }

    Object remote(Object connection) {
        try {
            return peerAddress.invoke(connection);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "-";
        }
    }
}
