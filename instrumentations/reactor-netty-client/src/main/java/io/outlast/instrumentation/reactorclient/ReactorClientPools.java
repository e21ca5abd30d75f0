package io.outlast.instrumentation.reactorclient;

import io.outlast.bootstrap.ClientConnectionState;
import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.ConnectionState;
import io.outlast.bootstrap.PoolDestroy;
import io.outlast.bootstrap.PoolEviction;
import io.outlast.bootstrap.ReactorClientHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.KeepAlive;
import io.outlast.family.LiveFamily;
import io.outlast.family.Reflection;

/**
 * Reactor Netty's client pools as the agent governs them. A pooled connection is retired (evicted by its pool, as
 * its own {@code maxIdleTime} would) once idle for the client idle in force, or for less than the idle its upstream
 * announced; each connection's close is logged with who closed it. Connections are followed by channel, from their
 * first request seen.
 */
final class ReactorClientPools extends ReactorClientHooks implements LiveFamily {
    private final ConnectionTracker tracker;
    private final ConnectionRegistry registry;

    ReactorClientPools(ConnectionTracker tracker) {
        this.tracker = tracker;
        this.registry = tracker.registry();
    }

    @Override
    public Object evictionPredicate(Object config, Object predicate) {
        return kept(config, "evictionPredicate", new PoolEviction(predicate));
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
    public void destroying(Object pooled) {
        try {
            ReactorClientApi api = ReactorClientApi.CACHE.get(pooled.getClass());
            Object channel = api == null ? null : api.channel.invoke(pooled);
            ConnectionState s = channel == null ? null : registry.get(channel);
            // retired (its mark taken already), or its pool disposed; one closed already is destroyed after its
            // upstream's close (a request's failure invalidates it before the close reaches the pipeline's end)
            if (s != null && (Boolean) api.isActive.invoke(channel)) {
                s.mark(CloseEvent.CLIENT, ((ClientConnectionState) s).idleMs());
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public boolean evicts(Object pooled, Object metadata, boolean ownVerdict) {
        try {
            ReactorClientApi api = ReactorClientApi.CACHE.get(pooled.getClass());
            if (api == null) {
                return ownVerdict;
            }
            Object channel = api.channel.invoke(pooled);
            ClientConnectionState s = (ClientConnectionState) registry.get(channel);
            if (ownVerdict) {
                if (s != null && (Boolean) api.isActive.invoke(channel) && (Boolean) api.isPersistent.invoke(pooled)) {
                    // the pool's own idle or lifetime retires it
                    s.mark(CloseEvent.CLIENT_IDLE, s.idleMs());
                }
                return true;
            }
            long limit = tracker.timeouts().clientRetireMs(s == null ? -1 : s.announcedIdleMs);
            if (limit < 0) {
                return false;
            }
            long idleMs = s != null ? s.idleMs() : (Long) api.idleTime.invoke(metadata);
            if (idleMs < limit) {
                return false;
            }
            if (s == null) {
                // met idle in its pool, open since before the agent: its close is logged too
                s = follow(api, channel);
            }
            s.mark(CloseEvent.CLIENT_IDLE, idleMs);
            return true;
        } catch (Throwable t) {
            tracker.failed(t);
            return ownVerdict;
        }
    }

    @Override
    public void requestStarted(Object channel) {
        try {
            ClientConnectionState s = (ClientConnectionState) registry.get(channel);
            if (s == null) {
                ReactorClientApi api = ReactorClientApi.CACHE.get(channel.getClass());
                if (api == null) {
                    return;
                }
                s = follow(api, channel);
            }
            s.requestStarted();
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    private ClientConnectionState follow(ReactorClientApi api, Object channel) throws ReflectiveOperationException {
        ClientConnectionState s = new ClientConnectionState(null, tracker.family(), api.localAddress.invoke(channel),
                api.remoteAddress.invoke(channel));
        ConnectionState had = registry.putIfAbsent(channel, s);
        return had instanceof ClientConnectionState ? (ClientConnectionState) had : s;
    }

    @Override
    public void response(Object channel, boolean head, String keepAlive, boolean last) {
        ClientConnectionState s = (ClientConnectionState) registry.get(channel);
        if (s == null) {
            return;
        }
        if (head) {
            s.responseStarted();
            if (keepAlive != null) {
                s.announcedIdleMs = KeepAlive.timeoutMs(keepAlive);
            }
        }
        if (last) {
            s.responseEnded();
        }
    }

    @Override
    public void inactive(Object channel) {
        ClientConnectionState s = (ClientConnectionState) registry.remove(channel);
        if (s == null) {
            return;
        }
        try {
            String closer = s.closer();
            long idleMs = closer != null ? s.idleAtMarkMs() : s.idleMs();
            long failedAfter = -1;
            if (closer == null) {
                closer = CloseEvent.PEER;
                if (s.awaitingResponse && s.reuseGapMs >= 0) {
                    // the upstream closed a connection reused for a request it had not answered: the race
                    failedAfter = s.reuseGapMs;
                    idleMs = s.reuseGapMs;
                }
            }
            tracker.closedClient(s, closer, idleMs, failedAfter);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }
}
