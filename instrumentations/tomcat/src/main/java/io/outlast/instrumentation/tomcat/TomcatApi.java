package io.outlast.instrumentation.tomcat;

import io.outlast.family.ApiCache;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;

import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.load;
import static io.outlast.family.Reflection.optional;
import static io.outlast.family.Reflection.method;

/**
 * Tomcat as one class loader sees it, resolved once. Public methods where Tomcat has them; the HTTP/1.1
 * parser's progress is only in private fields of {@code Http11InputBuffer}, read (never written) here.
 */
final class TomcatApi {
    private static final ApiCache<TomcatApi> CACHE = new ApiCache<>(TomcatApi::new);

    final String version;
    private final Method connections;
    private final Method getKeepAlive;
    private final Method maxKeepAliveRequests;
    private final Method setKeepAlive;
    private final Method address;
    private final Method localPort;
    private final Method name;
    private final Method isRunning;
    private final Method isPaused;
    private final Method processSocket;
    private final Object errorEvent;
    private final Method endpoint;
    private final Method currentProcessor;
    private final Method getReadTimeout;
    private final Method setReadTimeout;
    private final Method setError;
    private final Method close;
    private final Method isClosed;
    private final Method socket;
    private final Class<?> nioChannel;
    private final Method nioIoChannel;
    private final Class<?> nio2Channel;
    private final Method nio2IoChannel;
    /** Tomcat's TLS channels, NIO's then NIO2's: each a class, its handshake's end, its engine, its network input. */
    private final TlsChannel[] tlsChannels;
    private final Class<?> http11Processor;
    private final Field inputBuffer;
    private final Field parsingHeader;
    private final Field parsingRequestLine;
    private final Field parsingRequestLinePhase;
    private final Field request;
    /** Tomcat 10.1+ times a request's first byte in nanos; 9.0 in millis. */
    private final Method startNanos;
    private final Method connectionTimeout;
    /** The lock a worker holds while it processes the socket (9.0.6x and later); null before. */
    private final Method lock;
    private final Method startMillis;

    /** The API as the class's loader sees it, or null where the loader lacks part of it. */
    static TomcatApi of(Class<?> serverClass) {
        return CACHE.get(serverClass);
    }

    /** What the class's loader lacks of the API, for the warning that leaves the server alone; null if nothing. */
    static String missing(Class<?> serverClass) {
        return CACHE.missing(serverClass);
    }

    private TomcatApi(ClassLoader cl) throws ReflectiveOperationException {
        Class<?> endpointType = load(cl, "org.apache.tomcat.util.net.AbstractEndpoint");
        version = version(cl, endpointType);
        connections = endpointType.getMethod("getConnections");
        getKeepAlive = endpointType.getMethod("getKeepAliveTimeout");
        connectionTimeout = endpointType.getMethod("getConnectionTimeout");
        maxKeepAliveRequests = endpointType.getMethod("getMaxKeepAliveRequests");
        setKeepAlive = endpointType.getMethod("setKeepAliveTimeout", int.class);
        address = endpointType.getMethod("getAddress");
        localPort = endpointType.getMethod("getLocalPort");
        name = endpointType.getMethod("getName");
        isRunning = endpointType.getMethod("isRunning");
        isPaused = endpointType.getMethod("isPaused");
        Class<?> wrapperType = load(cl, "org.apache.tomcat.util.net.SocketWrapperBase");
        Class<?> eventType = load(cl, "org.apache.tomcat.util.net.SocketEvent");
        processSocket = endpointType.getMethod("processSocket", wrapperType, eventType, boolean.class);
        errorEvent = eventType.getField("ERROR").get(null);
        endpoint = method(wrapperType, "getEndpoint");
        currentProcessor = wrapperType.getMethod("getCurrentProcessor");
        lock = optional(wrapperType, "getLock");
        getReadTimeout = wrapperType.getMethod("getReadTimeout");
        setReadTimeout = wrapperType.getMethod("setReadTimeout", long.class);
        setError = wrapperType.getMethod("setError", IOException.class);
        close = wrapperType.getMethod("close");
        isClosed = wrapperType.getMethod("isClosed");
        socket = wrapperType.getMethod("getSocket");
        nioChannel = load(cl, "org.apache.tomcat.util.net.NioChannel");
        nioIoChannel = nioChannel.getMethod("getIOChannel");
        nio2Channel = load(cl, "org.apache.tomcat.util.net.Nio2Channel");
        nio2IoChannel = nio2Channel.getMethod("getIOChannel");
        tlsChannels = new TlsChannel[] {new TlsChannel(load(cl, "org.apache.tomcat.util.net.SecureNioChannel")),
                new TlsChannel(load(cl, "org.apache.tomcat.util.net.SecureNio2Channel"))};
        http11Processor = load(cl, "org.apache.coyote.http11.Http11Processor");
        inputBuffer = field(http11Processor, "inputBuffer");
        Class<?> buffer = load(cl, "org.apache.coyote.http11.Http11InputBuffer");
        parsingHeader = field(buffer, "parsingHeader");
        parsingRequestLine = field(buffer, "parsingRequestLine");
        parsingRequestLinePhase = field(buffer, "parsingRequestLinePhase");
        request = field(buffer, "request");
        Class<?> requestType = load(cl, "org.apache.coyote.Request");
        startNanos = optional(requestType, "getStartTimeNanos");
        startMillis = requestType.getMethod("getStartTime");
    }

    /** "Apache Tomcat/10.1.59" from catalina where it is there, else the jar's manifest. */
    private static String version(ClassLoader cl, Class<?> endpointType) {
        try {
            String info = (String) load(cl, "org.apache.catalina.util.ServerInfo").getMethod("getServerInfo").invoke(null);
            return info.substring(info.indexOf('/') + 1);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            String v = endpointType.getPackage().getImplementationVersion();
            return v == null ? "unknown" : v;
        }
    }

    Object endpointOf(Object wrapper) throws ReflectiveOperationException {
        return endpoint.invoke(wrapper);
    }

    Collection<?> connections(Object endpoint) throws ReflectiveOperationException {
        return (Collection<?>) connections.invoke(endpoint);
    }

    int keepAliveTimeout(Object endpoint) throws ReflectiveOperationException {
        return (Integer) getKeepAlive.invoke(endpoint);
    }

    int maxKeepAliveRequests(Object endpoint) throws ReflectiveOperationException {
        return (Integer) maxKeepAliveRequests.invoke(endpoint);
    }

    void setKeepAliveTimeout(Object endpoint, int ms) throws ReflectiveOperationException {
        setKeepAlive.invoke(endpoint, ms);
    }

    String address(Object endpoint) throws ReflectiveOperationException {
        InetAddress a = (InetAddress) address.invoke(endpoint);
        return (a == null ? "0.0.0.0" : a.getHostAddress()) + ":" + localPort.invoke(endpoint);
    }

    String name(Object endpoint) throws ReflectiveOperationException {
        return String.valueOf(name.invoke(endpoint));
    }

    /** Tomcat's own path for a timed-out socket: the error, then an ERROR event on a worker thread. */
    int localPort(Object endpoint) throws ReflectiveOperationException {
        return (Integer) localPort.invoke(endpoint);
    }

    /** Running and not paused: accepting connections and serving requests on them. */
    boolean accepting(Object endpoint) throws ReflectiveOperationException {
        return (Boolean) isRunning.invoke(endpoint) && !(Boolean) isPaused.invoke(endpoint);
    }

    void timeOut(Object endpoint, Object wrapper, String why) throws ReflectiveOperationException {
        setError.invoke(wrapper, new java.net.SocketTimeoutException(why));
        if (!(Boolean) processSocket.invoke(endpoint, wrapper, errorEvent, true)) {
            close.invoke(wrapper);
        }
    }

    long readTimeout(Object wrapper) throws ReflectiveOperationException {
        return (Long) getReadTimeout.invoke(wrapper);
    }

    void setReadTimeout(Object wrapper, long ms) throws ReflectiveOperationException {
        setReadTimeout.invoke(wrapper, ms);
    }

    boolean hasProcessor(Object wrapper) throws ReflectiveOperationException {
        return currentProcessor.invoke(wrapper) != null;
    }

    /** The connection's JDK channel (NIO or NIO2), or null: what the read-timeout advice finds directly. */
    Object ioChannel(Object wrapper) throws ReflectiveOperationException {
        Object s = socket.invoke(wrapper);
        return nioChannel.isInstance(s) ? nioIoChannel.invoke(s) : nio2Channel.isInstance(s) ? nio2IoChannel.invoke(s) : null;
    }

    /**
     * Over TLS, a handshake begun and not finished: bytes of it have arrived (before the whole ClientHello
     * Tomcat has no engine yet), or its engine is made and the handshake goes on. A TLS connection with no byte
     * yet is not handshaking: it waits, as an idle one does.
     */
    boolean handshaking(Object wrapper) throws ReflectiveOperationException {
        Object s = socket.invoke(wrapper);
        TlsChannel tls = tlsChannel(s);
        return tls != null && !(Boolean) tls.handshakeComplete.invoke(s)
                && (tls.engine.invoke(s) != null || ((ByteBuffer) tls.netIn.get(s)).position() > 0);
    }

    /** The TLS channel type a socket is of, or null: plain TCP. */
    private TlsChannel tlsChannel(Object socket) {
        for (TlsChannel tls : tlsChannels) {
            if (tls.type.isInstance(socket)) {
                return tls;
            }
        }
        return null;
    }

    /** Whether the wrapper's close has begun (Tomcat sets the flag before it closes anything). */
    boolean closed(Object wrapper) throws ReflectiveOperationException {
        return (Boolean) isClosed.invoke(wrapper);
    }

    /**
     * Over TLS, the peer's close_notify has been read: Tomcat reports it as a failed unwrap (an IOException),
     * but it is the peer closing in order.
     */
    boolean tlsClosedByPeer(Object wrapper) throws ReflectiveOperationException {
        Object s = socket.invoke(wrapper);
        TlsChannel tls = tlsChannel(s);
        SSLEngine engine = tls == null ? null : (SSLEngine) tls.engine.invoke(s);
        return engine != null && engine.isInboundDone();
    }

    /** The HTTP/1.1 input buffer of the request being processed on the connection, or null. */
    Object inputBuffer(Object wrapper) throws ReflectiveOperationException {
        return inputBufferOf(currentProcessor.invoke(wrapper));
    }

    /** The read timeout Tomcat arms once a request's first byte is in: the gap it allows between a header's reads. */
    long connectionTimeout(Object endpoint) throws ReflectiveOperationException {
        return ((Number) connectionTimeout.invoke(endpoint)).longValue();
    }

    /**
     * A worker processes the socket now: it has taken the connection's processor (Tomcat takes it for the run), so
     * that a connection in the middle of a header shows none. True where Tomcat has no such lock to look at.
     */
    boolean processing(Object wrapper) throws ReflectiveOperationException {
        Object l = lock == null ? null : lock.invoke(wrapper);
        return !(l instanceof ReentrantLock) || ((ReentrantLock) l).isLocked();
    }

    /** Over TLS (JSSE's channel: NIO's or NIO2's). */
    boolean tls(Object wrapper) throws ReflectiveOperationException {
        return tlsChannel(socket.invoke(wrapper)) != null;
    }

    /** The HTTP/1.1 input buffer of a connection's current processor, or null. */
    Object inputBufferOf(Object processor) throws IllegalAccessException {
        return http11Processor.isInstance(processor) ? inputBuffer.get(processor) : null;
    }

    /** No byte of the next request has arrived. */
    boolean waiting(Object inputBuffer) throws IllegalAccessException {
        return parsingRequestLine.getBoolean(inputBuffer) && parsingRequestLinePhase.getInt(inputBuffer) == 0;
    }

    boolean inHeaders(Object inputBuffer) throws IllegalAccessException {
        return parsingHeader.getBoolean(inputBuffer) && !waiting(inputBuffer);
    }

    /** {@code System.nanoTime()} of the request's first byte, or {@code Long.MIN_VALUE} if not recorded. */
    long startNanos(Object inputBuffer) throws ReflectiveOperationException {
        Object r = request.get(inputBuffer);
        if (startNanos != null) {
            long n = (Long) startNanos.invoke(r);
            return n == -1 ? Long.MIN_VALUE : n;
        }
        long millis = (Long) startMillis.invoke(r);
        return millis <= 0 ? Long.MIN_VALUE
                : System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - millis);
    }

    /** One of Tomcat's TLS channel classes, as the agent reads it (the same members in NIO's and NIO2's). */
    private static final class TlsChannel {
        final Class<?> type;
        final Method handshakeComplete;
        final Method engine;
        final Field netIn;

        TlsChannel(Class<?> type) throws ReflectiveOperationException {
            this.type = type;
            this.handshakeComplete = type.getMethod("isHandshakeComplete");
            this.engine = type.getMethod("getSslEngine");
            this.netIn = field(type, "netInBuffer");
        }
    }
}
