package io.outlast.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Connection objects to their state, by identity, without keeping either alive: a connection the
 * agent never saw close (one missed hook) is dropped when the server lets go of it.
 */
public final class ConnectionRegistry {
    private final ConcurrentHashMap<Object, Entry> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    /**
     * Each thread's last entry found. A server handles a request on one thread and calls several hooks for
     * the same connection on the way (Tomcat three, Netty two): one map lookup instead of each, and none
     * of the shared map's memory touched for the rest (measured the agent's costliest frame per request).
     * It keeps no connection alive: its key is the weak one the map holds.
     */
    private final ThreadLocal<Entry> last = new ThreadLocal<>();

    /** Called on server threads, per request on some servers: looks up without a weak reference. */
    public ConnectionState get(Object connection) {
        Entry e = last.get();
        if (e != null && e.key.get() == connection && !e.removed) {
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

    /** Returns the state already registered for the connection, or registers the given one. */
    public ConnectionState putIfAbsent(Object connection, ConnectionState state) {
        expunge();
        Key key = new Key(connection, collected);
        Entry prior = map.putIfAbsent(key, new Entry(key, state));
        return prior != null ? prior.state : state;
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
            Object connection = e.key.get();
            if (connection != null) {
                action.accept(connection, e.state);
            }
        }
    }

    private void expunge() {
        Object ref;
        while ((ref = collected.poll()) != null) {
            removed(map.remove(ref));
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

    private static final class Entry {
        final Key key;
        final ConnectionState state;
        volatile boolean removed;

        Entry(Key key, ConnectionState state) {
            this.key = key;
            this.state = state;
        }
    }

    /** The stored key: weak, so that the registry never keeps a connection alive. */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            hash = System.identityHashCode(referent);
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
            return o instanceof Key && mine != null && mine == ((Key) o).get();
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
            return o instanceof Key && connection == ((Key) o).get();
        }
    }
}
