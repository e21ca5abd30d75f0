package io.outlast.instrumentation.reactorclient;

import io.outlast.family.ApiCache;
import io.outlast.family.Reflection;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * The parts of Reactor Netty and Netty the hooks call, resolved once per class from its loader. Called where a
 * connection is made, closed or retired, never per request.
 */
final class ReactorClientApi {
    static final ApiCache<ReactorClientApi> CACHE = new ApiCache<>(ReactorClientApi::new);

    /** {@code reactor.netty.Connection.channel()}: a pooled connection's channel. */
    final Method channel;
    final Method isPersistent;
    final Method isActive;
    final Method localAddress;
    final Method remoteAddress;
    /** A pooled connection's {@code pooledRef}: its slot in the pool, whose metadata follows. */
    final Field pooledRef;
    final Method idleTime;
    final Method acquireCount;
    final Method lifeTime;
    final Method releaseTimestamp;
    /** An exchange's {@code HttpClientOperations.responseState}: null until its response begins. */
    final Field responseState;
    final Method isInboundDisposed;

    private ReactorClientApi(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> connection = Reflection.load(loader, "reactor.netty.Connection");
        Class<?> nettyChannel = Reflection.load(loader, "io.netty.channel.Channel");
        channel = connection.getMethod("channel");
        isPersistent = connection.getMethod("isPersistent");
        isActive = nettyChannel.getMethod("isActive");
        localAddress = nettyChannel.getMethod("localAddress");
        remoteAddress = nettyChannel.getMethod("remoteAddress");
        pooledRef = Reflection.field(Reflection.load(loader,
                "reactor.netty.resources.DefaultPooledConnectionProvider$PooledConnection"), "pooledRef");
        Class<?> metadata = Reflection.load(loader, "reactor.netty.internal.shaded.reactor.pool.PooledRefMetadata");
        idleTime = metadata.getMethod("idleTime");
        acquireCount = metadata.getMethod("acquireCount");
        lifeTime = metadata.getMethod("lifeTime");
        releaseTimestamp = metadata.getMethod("releaseTimestamp");
        Class<?> ops = Reflection.load(loader, "reactor.netty.http.client.HttpClientOperations");
        responseState = Reflection.field(ops, "responseState");
        isInboundDisposed = ops.getMethod("isInboundDisposed");
    }
}
