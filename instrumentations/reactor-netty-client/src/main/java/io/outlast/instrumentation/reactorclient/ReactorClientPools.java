package io.outlast.instrumentation.reactorclient;

import io.outlast.bootstrap.ClientConnectionState;
import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.ConnectionState;
import io.outlast.bootstrap.PoolDestroy;
import io.outlast.bootstrap.PoolEviction;
import io.outlast.bootstrap.ReactorClientHooks;
import io.outlast.family.AnnouncedIdles;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.LiveFamily;
import io.outlast.family.Reflection;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reactor Netty's client pools as the agent governs them. A pooled connection is retired (evicted by its pool, as
 * its own {@code maxIdleTime} would) once idle for the client idle in force, or for less than the idle its upstream
 * announced; each connection's close is logged with who closed it. Connections are followed by channel from their
 * making (or, open before the agent, from their retirement or their close under a request); their requests, age and
 * idle are the pool's own counts, read at their close.
 */
final class ReactorClientPools extends ReactorClientHooks implements LiveFamily {
    private final ConnectionTracker tracker;
    private final ConnectionRegistry registry;

    ReactorClientPools(ConnectionTracker tracker) {
        this.tracker = tracker;
        this.registry = tracker.registry();
        reconfigured();
    }

    /** The retire floor for the settings in force and the idles announced so far. */
    @Override
    public void reconfigured() {
        ReactorClientHooks.retireFloorMs(AnnouncedIdles.retireFloorMs(tracker.timeouts()));
    }

    @Override
    public void stop() {
        ReactorClientHooks.retireFloorMs(-1);
    }

    @Override
    public Object evictionPredicate(Object config, Object predicate) {
        return kept(config, "evictionPredicate", new PoolEviction(predicate, idleTime(config)));
    }

    /** The pool's {@code PooledRefMetadata.idleTime()} as {@code (Object)long}, or null. */
    private MethodHandle idleTime(Object config) {
        ReactorClientApi api = ReactorClientApi.CACHE.get(config.getClass());
        try {
            return api == null ? null : MethodHandles.publicLookup().unreflect(api.idleTime)
                    .asType(MethodType.methodType(long.class, Object.class));
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public Object destroyHandler(Object config, Object handler) {
        return kept(config, "destroyHandler", new PoolDestroy(handler));
    }

    /** The agent's wrapper, put in the config's field: the pool's later asks find it there. */
    private Object kept(Object config, String field, Object wrapper) {
        try {
            Reflection.write(config, field, wrapper);
        } catch (ReflectiveOperationException | RuntimeException e) {
            tracker.warnOnce("reactor-netty: a pool's " + field + " could not be kept (" + e
                    + "); it is wrapped at each ask instead");
        }
        return wrapper;
    }

    @Override
    public void pooled(Object pooled, Object channel) {
        registry.putIfAbsent(channel, new ClientConnectionState(pooled, tracker.family()));
    }

    /** The connection's state, made now for one the agent did not see made (open before it came). */
    private ClientConnectionState state(Object channel, Object pooled) {
        ConnectionState s = registry.get(channel);
        if (s == null && pooled != null) {
            s = registry.putIfAbsent(channel, new ClientConnectionState(pooled, tracker.family()));
        }
        return (ClientConnectionState) s;
    }

    @Override
    public void destroying(Object pooled) {
        try {
            ReactorClientApi api = ReactorClientApi.CACHE.get(pooled.getClass());
            Object channel = api == null ? null : api.channel.invoke(pooled);
            ConnectionState s = channel == null ? null : registry.get(channel);
            // retired (its mark taken already), or its pool disposed; one closed already is destroyed after its
            // upstream's close (a request's failure invalidates it before the close reaches the pipeline's end)
            if (s != null && (Boolean) api.isActive.invoke(channel)) {
                s.mark(CloseEvent.CLIENT, idleMs(api, pooled));
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public boolean evicts(Object pooled, Object metadata, boolean ownVerdict, long poolIdleMs) {
        try {
            ReactorClientApi api = ReactorClientApi.CACHE.get(pooled.getClass());
            if (api == null) {
                return ownVerdict;
            }
            Object channel = api.channel.invoke(pooled);
            if (ownVerdict) {
                ConnectionState s = registry.get(channel);
                if (s != null && (Boolean) api.isActive.invoke(channel) && (Boolean) api.isPersistent.invoke(pooled)) {
                    // the pool's own idle or lifetime retires it
                    s.mark(CloseEvent.CLIENT_IDLE, (Long) api.idleTime.invoke(metadata));
                }
                return true;
            }
            ClientConnectionState s = state(channel, pooled);
            long limit = tracker.timeouts().clientRetireMs(s.announcedIdleMs);
            long idleMs = poolIdleMs >= 0 ? poolIdleMs : (Long) api.idleTime.invoke(metadata);
            if (limit < 0 || idleMs < limit) {
                return false;
            }
            s.mark(CloseEvent.CLIENT_IDLE, idleMs);
            return true;
        } catch (Throwable t) {
            tracker.failed(t);
            return ownVerdict;
        }
    }

    @Override
    public void keepAlive(Object channel, String keepAlive) {
        ConnectionState s = registry.get(channel);
        if (s instanceof ClientConnectionState && AnnouncedIdles.announce((ClientConnectionState) s, keepAlive)) {
            reconfigured();
        }
    }

    @Override
    public void inboundClosed(Object channel, Object ops) {
        try {
            ReactorClientApi api = ReactorClientApi.CACHE.get(ops.getClass());
            if (api == null || !api.responseState.getDeclaringClass().isInstance(ops)
                    || api.responseState.get(ops) != null || (Boolean) api.isInboundDisposed.invoke(ops)) {
                return;
            }
            ClientConnectionState s = (ClientConnectionState) registry.get(channel);
            Object ref = s == null ? null : pooledRef(api, s.pooled.get());
            if (ref == null) {
                return;
            }
            // closed before its response began: the upstream's close; on a reused connection, the race
            long gapMs = System.currentTimeMillis() - (Long) api.releaseTimestamp.invoke(ref);
            if ((Integer) api.acquireCount.invoke(ref) > 1 && s.mark(CloseEvent.PEER, gapMs)) {
                s.failedAfterIdleMs = gapMs;
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void inactive(Object channel) {
        ClientConnectionState s = (ClientConnectionState) registry.remove(channel);
        if (s == null) {
            return;
        }
        try {
            ReactorClientApi api = ReactorClientApi.CACHE.get(channel.getClass());
            Object ref = api == null ? null : pooledRef(api, s.pooled.get());
            if (ref == null) {
                // never handed out by its pool (no request on it), or an HTTP/2 pool's, not followed
                return;
            }
            s.addresses(api.localAddress.invoke(channel), api.remoteAddress.invoke(channel));
            String closer = s.closer();
            long idleMs = closer != null ? s.idleAtMarkMs() : (Long) api.idleTime.invoke(ref);
            tracker.closedClient(s, closer != null ? closer : CloseEvent.PEER, idleMs,
                    (Integer) api.acquireCount.invoke(ref), (Long) api.lifeTime.invoke(ref), s.failedAfterIdleMs);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /** The pool's idle for a pooled connection (0 while in use). */
    private static long idleMs(ReactorClientApi api, Object pooled) throws ReflectiveOperationException {
        Object ref = pooledRef(api, pooled);
        return ref == null ? 0 : (Long) api.idleTime.invoke(ref);
    }

    /** A pooled connection's slot in its pool (its metadata), or null: none yet, or not an HTTP/1.1 pool's. */
    private static Object pooledRef(ReactorClientApi api, Object pooled) throws IllegalAccessException {
        return api.pooledRef.getDeclaringClass().isInstance(pooled) ? api.pooledRef.get(pooled) : null;
    }
}
