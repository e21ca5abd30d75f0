package io.outlast.instrumentation.reactorclient;

import io.outlast.family.ApiCache;
import io.outlast.family.Reflection;

import java.lang.reflect.Method;

/** The parts of Reactor Netty and Netty the hooks call, resolved once per class from its loader. */
final class ReactorClientApi {
    static final ApiCache<ReactorClientApi> CACHE = new ApiCache<>(ReactorClientApi::new);

    /** {@code reactor.netty.Connection.channel()}: a pooled connection's channel. */
    final Method channel;
    final Method isActive;
    final Method isPersistent;
    final Method localAddress;
    final Method remoteAddress;
    /** The pool's {@code PooledRefMetadata.idleTime()} (ms since the connection went back to its pool). */
    final Method idleTime;

    private ReactorClientApi(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> connection = Reflection.load(loader, "reactor.netty.Connection");
        Class<?> nettyChannel = Reflection.load(loader, "io.netty.channel.Channel");
        channel = connection.getMethod("channel");
        isPersistent = connection.getMethod("isPersistent");
        isActive = nettyChannel.getMethod("isActive");
        localAddress = nettyChannel.getMethod("localAddress");
        remoteAddress = nettyChannel.getMethod("remoteAddress");
        idleTime = Reflection.load(loader, "reactor.netty.internal.shaded.reactor.pool.PooledRefMetadata")
                .getMethod("idleTime");
    }
}
