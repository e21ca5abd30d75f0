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
 * once per loader; and any link's virtual connection (what every channel of the chain shares, the key here).
 */
final class LibertyApi {
    private static final ApiCache<LibertyApi> CACHE = new ApiCache<>(LibertyApi::new);
    private static final ClassValue<Method> VIRTUAL_CONNECTION = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> link) {
            try {
                return link.getMethod("getVirtualConnection");
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private final Method tcpConnLink;
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

    /** Any link's virtual connection (an HTTP link's is the one its TCP connection has), or null. */
    static Object virtualConnectionOf(Object link) throws ReflectiveOperationException {
        Method m = VIRTUAL_CONNECTION.get(link.getClass());
        return m == null ? null : m.invoke(link);
    }
}
