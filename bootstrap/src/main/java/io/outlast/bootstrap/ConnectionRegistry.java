package io.outlast.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Connection objects to their state, by identity, without keeping either alive: a connection the
 * agent never saw close (one missed hook) is dropped when the server lets go of it.
 */
public final class ConnectionRegistry {
    private final ConcurrentHashMap<Object, ConnectionState> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    /** Called on server threads, per request on some servers: looks up without a weak reference. */
    public ConnectionState get(Object connection) {
        return map.get(new Lookup(connection));
    }

    /** Returns the state already registered for the connection, or registers the given one. */
    public ConnectionState putIfAbsent(Object connection, ConnectionState state) {
        expunge();
        ConnectionState prior = map.putIfAbsent(new Key(connection, collected), state);
        return prior != null ? prior : state;
    }

    public ConnectionState remove(Object connection) {
        expunge();
        return map.remove(new Lookup(connection));
    }

    public int size() {
        expunge();
        return map.size();
    }

    public void forEach(BiConsumer<Object, ConnectionState> action) {
        for (Map.Entry<Object, ConnectionState> e : map.entrySet()) {
            Object connection = ((Key) e.getKey()).get();
            if (connection != null) {
                action.accept(connection, e.getValue());
            }
        }
    }

    private void expunge() {
        Object ref;
        while ((ref = collected.poll()) != null) {
            map.remove(ref);
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
