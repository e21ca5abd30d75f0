package io.outlast.bootstrap;

import java.lang.invoke.MethodHandle;
import java.util.function.BiPredicate;

/**
 * A client pool's eviction predicate with the agent's limit added: a pooled connection idle for longer than its
 * upstream keeps it is retired before it is handed out. In the bootstrap loader so that any pool's loader sees it.
 *
 * <p>The pool asks at every acquire and release: the common answer (idle below the shortest limit in force) is read
 * here from the pool's own metadata, without a hook or a lookup; only a connection idle that long goes to the hook.
 */
public final class PoolEviction implements BiPredicate<Object, Object> {
    private final BiPredicate<Object, Object> own;
    /** The pool's {@code PooledRefMetadata.idleTime()}, as {@code (Object)long}; null if not found. */
    private final MethodHandle idleTime;

    @SuppressWarnings("unchecked")
    public PoolEviction(Object own, MethodHandle idleTime) {
        this.own = (BiPredicate<Object, Object>) own;
        this.idleTime = idleTime;
    }

    @Override
    public boolean test(Object pooled, Object metadata) {
        boolean evicts = own != null && own.test(pooled, metadata);
        try {
            if (evicts) {
                return ReactorClientHooks.get().evicts(pooled, metadata, true, -1);
            }
            long floor = ReactorClientHooks.retireFloorMs();
            if (floor < 0) {
                return false;
            }
            long idleMs = idleTime == null ? -1 : (long) idleTime.invokeExact(metadata);
            if (idleMs >= 0 && idleMs < floor) {
                return false;
            }
            return ReactorClientHooks.get().evicts(pooled, metadata, false, idleMs);
        } catch (Throwable t) {
            return evicts;
        }
    }
}
