package io.outlast.instrumentation.grizzly;

import io.outlast.family.ApiCache;
import io.outlast.family.Reflection;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.outlast.family.Reflection.load;

/**
 * Grizzly's framework as one class loader sees it: a connection's public API, and the idle filter's record of each
 * connection (its deadline and the timeout it is given), which the filter keeps private. Resolved once per loader.
 */
final class GrizzlyApi {
    /** The idle filter's deadlines that are not deadlines: none set, or "while a request is handled". */
    private static final long UNSET = -1;
    private static final String IDLE_FILTER = "org.glassfish.grizzly.utils.IdleTimeoutFilter";
    private static final String HTTP_CODEC = "org.glassfish.grizzly.http.HttpServerFilter";
    private static final String SSL_FILTER = "org.glassfish.grizzly.ssl.SSLBaseFilter";
    private static final ApiCache<GrizzlyApi> CACHE = new ApiCache<>(GrizzlyApi::new);

    final String version;
    private final Class<?> idleFilter;
    private final Method localAddress;
    private final Method peerAddress;
    private final Method closeSilently;
    private final Method isOpen;
    private final Method processor;
    private final Method transport;
    private final Method transportStopped;
    private final Method setCustomTimeout;
    private final Object idleAttribute;
    private final Method attributeGet;
    private final Field timeoutResolver;
    private final Field recordDeadline;
    private final Field recordTimeoutSet;
    private final Field recordTimeout;
    private final Method closeType;
    private final Method closeCause;
    private final long forever;
    private final long foreverSpecial;

    /** The API for the loader of a Grizzly class (a connection's, a filter's). */
    static GrizzlyApi of(Class<?> grizzlyClass) {
        return CACHE.get(grizzlyClass);
    }

    /** What the class's loader lacks of the API, for the warning that leaves the server alone; null if nothing. */
    static String missing(Class<?> grizzlyClass) {
        return CACHE.missing(grizzlyClass);
    }

    private GrizzlyApi(ClassLoader cl) throws ReflectiveOperationException {
        version = String.valueOf(load(cl, "org.glassfish.grizzly.Grizzly").getMethod("getDotedVersion").invoke(null));
        Class<?> connection = load(cl, "org.glassfish.grizzly.Connection");
        localAddress = connection.getMethod("getLocalAddress");
        peerAddress = connection.getMethod("getPeerAddress");
        closeSilently = connection.getMethod("closeSilently");
        isOpen = connection.getMethod("isOpen");
        processor = connection.getMethod("getProcessor");
        transport = connection.getMethod("getTransport");
        transportStopped = load(cl, "org.glassfish.grizzly.Transport").getMethod("isStopped");
        idleFilter = load(cl, IDLE_FILTER);
        setCustomTimeout = idleFilter.getMethod("setCustomTimeout", connection, long.class, TimeUnit.class);
        idleAttribute = Reflection.field(idleFilter, "IDLE_ATTR").get(null);
        attributeGet = load(cl, "org.glassfish.grizzly.attributes.Attribute")
                .getMethod("get", load(cl, "org.glassfish.grizzly.attributes.AttributeStorage"));
        timeoutResolver = Reflection.field(idleFilter, "timeoutResolver");
        Class<?> record = load(cl, IDLE_FILTER + "$IdleRecord");
        recordDeadline = Reflection.field(record, "timeoutMillis");
        recordTimeoutSet = Reflection.field(record, "isInitialSet");
        recordTimeout = Reflection.field(record, "initialTimeoutMillis");
        forever = (Long) idleFilter.getField("FOREVER").get(null);
        foreverSpecial = (Long) idleFilter.getField("FOREVER_SPECIAL").get(null);
        Class<?> reason = load(cl, "org.glassfish.grizzly.CloseReason");
        closeType = reason.getMethod("getType");
        closeCause = reason.getMethod("getCause");
    }

    /** The connection's filter chain (a listener's), or null where its processor is not a chain. */
    List<?> chain(Object connection) throws ReflectiveOperationException {
        Object chain = processor.invoke(connection);
        return chain instanceof List ? (List<?>) chain : null;
    }

    /** The chain's idle filter, or null. */
    Object idleFilterIn(List<?> chain) {
        for (Object filter : chain) {
            if (idleFilter.isInstance(filter)) {
                return filter;
            }
        }
        return null;
    }

    /** Whether the chain serves HTTP, and over TLS: null where it is no HTTP server's. */
    static Boolean secureHttp(List<?> chain) {
        boolean http = false;
        boolean tls = false;
        for (Object filter : chain) {
            http |= is(filter, HTTP_CODEC);
            tls |= is(filter, SSL_FILTER);
        }
        return http ? tls : null;
    }

    private static boolean is(Object filter, String className) {
        for (Class<?> c = filter.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    /** The idle the filter gives connections without a timeout of their own (ms; negative: none). */
    long defaultIdleMs(Object filter) throws ReflectiveOperationException {
        Object resolver = timeoutResolver.get(filter);
        Object ms = Reflection.readOrNull(resolver, "defaultTimeoutMillis");
        return ms instanceof Long ? (Long) ms : -1;
    }

    Object local(Object connection) throws ReflectiveOperationException {
        return localAddress.invoke(connection);
    }

    Object remote(Object connection) throws ReflectiveOperationException {
        return peerAddress.invoke(connection);
    }

    boolean open(Object connection) throws ReflectiveOperationException {
        return (Boolean) isOpen.invoke(connection);
    }

    void close(Object connection) throws ReflectiveOperationException {
        closeSilently.invoke(connection);
    }

    boolean stopping(Object connection) throws ReflectiveOperationException {
        Object t = transport.invoke(connection);
        return t != null && (Boolean) transportStopped.invoke(t);
    }

    /** The timeout the connection's next idle wait will get: its own, or the filter's. */
    long idleMs(Object connection, long filterDefaultMs) throws ReflectiveOperationException {
        Object record = attributeGet.invoke(idleAttribute, connection);
        return (Boolean) recordTimeoutSet.get(record) ? recordTimeout.getLong(record) : filterDefaultMs;
    }

    /**
     * Gives the connection its idle from its next wait on, and moves the deadline of the wait it is in (if any) by the
     * difference, so that it keeps its start.
     */
    void retime(Object connection, long fromMs, long toMs) throws ReflectiveOperationException {
        setCustomTimeout.invoke(null, connection, toMs, TimeUnit.MILLISECONDS);
        Object record = attributeGet.invoke(idleAttribute, connection);
        long deadline = recordDeadline.getLong(record);
        if (waiting(deadline) && fromMs >= 0) {
            // a negative idle is Grizzly's "none": the wait then has no end
            recordDeadline.setLong(record, toMs < 0 ? forever : deadline - fromMs + toMs);
        }
    }

    /**
     * Gives the connection this idle from its next wait on, and ends the wait it is in (a header's: its bytes restart
     * nothing) no sooner than that long from now.
     */
    void hold(Object connection, long ms) throws ReflectiveOperationException {
        setCustomTimeout.invoke(null, connection, ms, TimeUnit.MILLISECONDS);
        Object record = attributeGet.invoke(idleAttribute, connection);
        long deadline = recordDeadline.getLong(record);
        long until = System.currentTimeMillis() + ms;
        if (waiting(deadline) && deadline < until) {
            recordDeadline.setLong(record, until);
        }
    }

    /** The deadline as the idle filter holds it now. */
    long deadline(Object connection) throws ReflectiveOperationException {
        return recordDeadline.getLong(attributeGet.invoke(idleAttribute, connection));
    }

    /** Whether the filter's deadline is one: a wait under way, not a request handled, nothing set, or a close. */
    boolean waiting(long deadline) {
        return deadline != UNSET && deadline != 0 && deadline != forever && deadline != foreverSpecial;
    }

    /** The close's reason read as a closer's: null for a local close, else the peer's FIN or a failure. */
    boolean closedRemotely(Object reason) throws ReflectiveOperationException {
        return reason != null && "REMOTELY".equals(String.valueOf(closeType.invoke(reason)));
    }

    /** A remote close whose cause is the end of the stream (the peer's FIN; Grizzly reads a reset as one too). */
    boolean endOfStream(Object reason) throws ReflectiveOperationException {
        return closeCause.invoke(reason) instanceof java.io.EOFException;
    }
}
