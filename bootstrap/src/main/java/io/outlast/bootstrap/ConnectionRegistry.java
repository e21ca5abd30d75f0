package io.outlast.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Connection objects to their state, by identity, without keeping either alive: a connection the
 * agent never saw close (one missed hook) is dropped when the server lets go of it.
 */
public final class ConnectionRegistry {
    private final ConcurrentHashMap<Object, Entry> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final AtomicBoolean expunging = new AtomicBoolean();
    /**
     * Each thread's last entry found. A server handles a request on one thread and calls several hooks for
     * the same connection on the way (Tomcat three, Netty two): one map lookup instead of each, and none
     * of the shared map's memory touched for the rest (measured the agent's costliest frame per request).
     * It keeps no connection alive: its key is the weak one the map holds.
     */
    private final ThreadLocal<Entry> last = new ThreadLocal<>();
    /** Run on the first connection registered (a family's sweeps wait for it), then dropped; null then. */
    private final AtomicReference<Runnable> first = new AtomicReference<>();

    /** Called on server threads, per request on some servers: looks up without a weak reference. */
    public ConnectionState get(Object connection) {
        Entry e = last.get();
        if (e != null && e.get() == connection && !e.removed) {
            return e.state;
        }
        e = entry(connection);
        if (e == null) {
            return null;
        }
        last.set(e);
        return e.state;
    }

    /**
     * Looks up without the thread's last entry: for hooks on threads that take turns with a connection (a
     * pool's workers, one thread for all), where it would miss and cost a thread-local write each time.
     */
    public ConnectionState find(Object connection) {
        Entry e = entry(connection);
        return e == null ? null : e.state;
    }

    private Entry entry(Object connection) {
        return map.get(new Lookup(connection));
    }

    /**
     * Returns the state already registered for the connection, or registers the given one. It becomes the
     * thread's last entry: the thread that opens a connection usually makes the next call for it too.
     */
    public ConnectionState putIfAbsent(Object connection, ConnectionState state) {
        expunge();
        Entry e = new Entry(connection, collected, state);
        Entry prior = map.putIfAbsent(e, e);
        e = prior != null ? prior : e;
        last.set(e);
        if (first.get() != null) {
            runFirst();
        }
        return e.state;
    }

    /**
     * Runs {@code action} on the thread that registers the first connection, or now if there is one already;
     * after any given before it.
     */
    public void whenFirst(Runnable action) {
        first.accumulateAndGet(action, (before, next) -> before == null ? next : () -> {
            before.run();
            next.run();
        });
        if (!map.isEmpty()) {
            runFirst();
        }
    }

    private void runFirst() {
        Runnable action = first.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }

    public ConnectionState remove(Object connection) {
        expunge();
        return removed(map.remove(new Lookup(connection)));
    }

    public int size() {
        expunge();
        return map.size();
    }

    public void forEach(BiConsumer<Object, ConnectionState> action) {
        for (Entry e : map.values()) {
            Object connection = e.get();
            if (connection != null) {
                action.accept(connection, e.state);
            }
        }
    }

    /**
     * One thread at a time empties the queue; the others go on. Its poll takes the queue's lock when something is
     * queued, and server threads contending for it pinned virtual threads to their carriers (JDK 25, Jetty on virtual
     * threads, two connections opened at once after a GC).
     */
    private void expunge() {
        if (!expunging.compareAndSet(false, true)) {
            return;
        }
        try {
            Object ref;
            while ((ref = collected.poll()) != null) {
                // an entry is its own key: removed only if it is still the one mapped
                if (map.remove(ref, ref)) {
                    removed((Entry) ref);
                }
            }
        } finally {
            expunging.set(false);
        }
    }

    /** A removed entry is marked, so that no thread's last entry finds it again. */
    private static ConnectionState removed(Entry e) {
        if (e == null) {
            return null;
        }
        e.removed = true;
        return e.state;
    }

    /**
     * The stored key and value at once (one object per connection, not three): weak, so that the registry
     * never keeps a connection alive.
     */
    private static final class Entry extends WeakReference<Object> {
        private final int hash;
        final ConnectionState state;
        volatile boolean removed;

        Entry(Object connection, ReferenceQueue<Object> queue, ConnectionState state) {
            super(connection, queue);
            this.hash = System.identityHashCode(connection);
            this.state = state;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            Object mine = get();
            if (o instanceof Lookup) {
                return mine != null && mine == ((Lookup) o).connection;
            }
            return o instanceof Entry && mine != null && mine == ((Entry) o).get();
        }
    }

    /** A lookup key: strong and short-lived, equal to the stored key of the same connection. */
    private static final class Lookup {
        final Object connection;
        private final int hash;

        Lookup(Object connection) {
            this.connection = connection;
            this.hash = System.identityHashCode(connection);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry && connection == ((Entry) o).get();
        }
    }
}
