package io.outlast.bootstrap;

import java.util.function.BiPredicate;

/**
 * A client pool's eviction predicate with the agent's limit added: a pooled connection idle for longer than its
 * upstream keeps it is retired before it is handed out. In the bootstrap loader so that any pool's loader sees it.
 */
public final class PoolEviction implements BiPredicate<Object, Object> {
    private final BiPredicate<Object, Object> own;

    @SuppressWarnings("unchecked")
    public PoolEviction(Object own) {
        this.own = (BiPredicate<Object, Object>) own;
    }

    /** The pool's own predicate, which a reset puts back. */
    public Object own() {
        return own;
    }

    @Override
    public boolean test(Object pooled, Object metadata) {
        boolean evicts = own != null && own.test(pooled, metadata);
        try {
            return ReactorClientHooks.get().evicts(pooled, metadata, evicts);
        } catch (Throwable t) {
            return evicts;
        }
    }
}
