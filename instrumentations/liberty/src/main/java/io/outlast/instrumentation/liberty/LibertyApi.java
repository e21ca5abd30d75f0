package io.outlast.instrumentation.liberty;

import io.outlast.family.ApiCache;
import io.outlast.family.Reflection;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static io.outlast.family.Reflection.load;

/**
 * Liberty's channel framework as its TCP channel's bundle sees it: a read's connection and its addresses, resolved
 * once per loader; any link's virtual connection (what every channel of the chain shares, the key here); the TCP read
 * context under an SSL channel's; and an HTTP/2 connection's link ({@link Http2}, as the HTTP channel's bundle sees it).
 */
final class LibertyApi {
    private static final ApiCache<LibertyApi> CACHE = new ApiCache<>(LibertyApi::new);
    private static final ClassValue<Method> VIRTUAL_CONNECTION = Reflection.publicMethodPerClass("getVirtualConnection");

    /** An SSL channel read context's link (a protected method of its base), per context class; null for others. */
    private static final ClassValue<Method> SSL_LINK = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> context) {
            for (Class<?> c = context; c != null; c = c.getSuperclass()) {
                if (c.getName().equals("com.ibm.ws.channel.ssl.internal.SSLBaseServiceContext")) {
                    try {
                        Method m = c.getDeclaredMethod("getConnLink");
                        m.setAccessible(true);
                        return m;
                    } catch (NoSuchMethodException | RuntimeException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    };
    private static final ClassValue<Method> DEVICE_READ = Reflection.publicMethodPerClass("getDeviceReadInterface");

    private static final ApiCache<Http2> HTTP2 = new ApiCache<>(Http2::new);
    /** An HTTP/2 read callback's link, per callback class. */
    private static final ClassValue<Field> READ_LINK = new ClassValue<Field>() {
        @Override
        protected Field computeValue(Class<?> callback) {
            try {
                return Reflection.field(callback, "connLink");
            } catch (NoSuchFieldException | RuntimeException e) {
                return null;
            }
        }
    };
    /** Liberty's TCP read context constant that times out the read pending on a connection at once. */
    private static final int IMMED_TIMEOUT = -2;

    private final Method tcpConnLink;
    private final Method syncRead;
    private final Method localAddress;
    private final Method localPort;
    private final Method remoteAddress;
    private final Method remotePort;
    private final Method channel;
    private final Field stopFlag;

    /** The API for the loader of a TCP channel class (a read's context, a connection). */
    static LibertyApi of(Class<?> tcpChannelClass) {
        return CACHE.get(tcpChannelClass);
    }

    /** What the class's loader lacks of the API, for the warning that leaves the server alone; null if nothing. */
    static String missing(Class<?> tcpChannelClass) {
        return CACHE.missing(tcpChannelClass);
    }

    private LibertyApi(ClassLoader cl) throws ReflectiveOperationException {
        tcpConnLink = load(cl, "com.ibm.ws.tcpchannel.internal.TCPBaseRequestContext").getMethod("getTCPConnLink");
        syncRead = load(cl, "com.ibm.ws.tcpchannel.internal.TCPReadRequestContextImpl").getMethod("read", long.class,
                int.class);
        Class<?> conn = load(cl, "com.ibm.ws.tcpchannel.internal.TCPConnLink");
        localAddress = conn.getMethod("getLocalAddress");
        localPort = conn.getMethod("getLocalPort");
        remoteAddress = conn.getMethod("getRemoteAddress");
        remotePort = conn.getMethod("getRemotePort");
        channel = conn.getMethod("getTCPChannel");
        stopFlag = Reflection.field(load(cl, "com.ibm.ws.tcpchannel.internal.TCPChannel"), "stopFlag");
    }

    /** Whether the connection's TCP channel is stopping (the server's stop, or its endpoint's). */
    boolean stopping(Object tcpConnection) throws ReflectiveOperationException {
        Object c = channel.invoke(tcpConnection);
        return c != null && stopFlag.getBoolean(c);
    }

    /**
     * Times out the read pending on the connection of a TCP read context now, as Liberty's own timer would (its
     * supported "immediate timeout": the read's timeout moved into the past and its selector woken).
     */
    void timeOutPendingRead(Object tcpReadContext) throws ReflectiveOperationException {
        syncRead.invoke(tcpReadContext, 1L, IMMED_TIMEOUT);
    }

    /** The TCP connection a read context belongs to. */
    Object connection(Object readContext) throws ReflectiveOperationException {
        return tcpConnLink.invoke(readContext);
    }

    InetSocketAddress local(Object tcpConnection) throws ReflectiveOperationException {
        return new InetSocketAddress((InetAddress) localAddress.invoke(tcpConnection), (Integer) localPort.invoke(tcpConnection));
    }

    InetSocketAddress remote(Object tcpConnection) throws ReflectiveOperationException {
        return new InetSocketAddress((InetAddress) remoteAddress.invoke(tcpConnection), (Integer) remotePort.invoke(tcpConnection));
    }

    /** The HTTP/2 link an HTTP/2 read callback reads for, or null. */
    static Object h2Link(Object readCallback) throws IllegalAccessException {
        Field f = READ_LINK.get(readCallback.getClass());
        return f == null ? null : f.get(readCallback);
    }

    /** Liberty's HTTP/2 link ({@code H2InboundLink}) as the HTTP channel's bundle sees it, or null where it is not all there. */
    static Http2 http2(Class<?> h2LinkClass) {
        return HTTP2.get(h2LinkClass);
    }

    static String http2Missing(Class<?> h2LinkClass) {
        return HTTP2.missing(h2LinkClass);
    }

    /** What the agent reads and calls of an HTTP/2 link. */
    static final class Http2 {
        private final Field connection;
        private final Method activeStreams;
        private final Method highestClientStream;
        private final Method notReading;
        private final Method readOn;

        private Http2(ClassLoader cl) throws ReflectiveOperationException {
            Class<?> link = load(cl, "com.ibm.ws.http.channel.h2internal.H2InboundLink");
            connection = Reflection.field(link, "initialVC");
            activeStreams = link.getMethod("getActiveClientStreams");
            highestClientStream = link.getMethod("getHighestClientStreamId");
            notReading = Reflection.method(link, "setReadLinkStatusToNotReadingAndNotify");
            readOn = link.getMethod("processRead", load(cl, "com.ibm.wsspi.channelfw.VirtualConnection"),
                    load(cl, "com.ibm.wsspi.tcpchannel.TCPReadRequestContext"), int.class);
        }

        /** The link's connection ({@code initialVC}: its own {@code getVirtualConnection} may be a stream's). */
        Object connection(Object link) throws IllegalAccessException {
            return connection.get(link);
        }

        int activeStreams(Object link) throws ReflectiveOperationException {
            return (Integer) activeStreams.invoke(link);
        }

        /** Streams a client opened (a client's are odd). */
        long streams(Object link) throws ReflectiveOperationException {
            return ((Integer) highestClientStream.invoke(link) + 1) / 2;
        }

        /** Reads on with a new timeout, as Liberty itself does after a timed-out read where writes went on. */
        void readOn(Object link, Object connection, Object readContext, int timeoutMs) throws ReflectiveOperationException {
            notReading.invoke(link);
            readOn.invoke(link, connection, readContext, timeoutMs);
        }
    }

    /**
     * The TCP channel's read context under a read context: an SSL channel's reads go on through its link's device
     * read context (the TCP one); any other is the TCP one already. Null where the SSL link has none.
     */
    static Object tcpReadContext(Object readContext) throws ReflectiveOperationException {
        Method link = SSL_LINK.get(readContext.getClass());
        if (link == null) {
            return readContext;
        }
        Object sslLink = link.invoke(readContext);
        Method device = sslLink == null ? null : DEVICE_READ.get(sslLink.getClass());
        return device == null ? null : device.invoke(sslLink);
    }

    /** Any link's virtual connection (an HTTP link's is the one its TCP connection has), or null. */
    static Object virtualConnectionOf(Object link) throws ReflectiveOperationException {
        Method m = VIRTUAL_CONNECTION.get(link.getClass());
        return m == null ? null : m.invoke(link);
    }
}
