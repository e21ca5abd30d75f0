package io.outlast.bootstrap;

import java.util.function.Function;

/**
 * A client pool's destroy handler, told first: every connection it destroys is closed by the client (retired, or its
 * pool disposed), which its close event must say rather than read the close as its upstream's.
 */
public final class PoolDestroy implements Function<Object, Object> {
    private final Function<Object, Object> own;

    @SuppressWarnings("unchecked")
    public PoolDestroy(Object own) {
        this.own = (Function<Object, Object>) own;
    }

    @Override
    public Object apply(Object pooled) {
        try {
            ReactorClientHooks.get().destroying(pooled);
        } catch (Throwable t) {
            // never in the way of the pool's own
        }
        return own.apply(pooled);
    }
}
