package io.outlast.family;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The server objects a family has met (connectors, endpoints, servers), each met once, and held weakly: a
 * stopped server is let go. Values must not refer to their server, or it would never be let go.
 */
public final class ServerObjects<V> {
    /** First sight of a server: apply the settings and report it; null leaves it untouched. */
    public interface Meeting<V> {
        V meet(Object server) throws Exception;
    }

    /** What follows a meeting, outside the lock: it may make the server call back into the family. */
    public interface Then<V> {
        void after(Object server, V value) throws Exception;
    }

    private static final Object UNTOUCHED = new Object();

    /**
     * The servers met, read without a lock: hooks ask on every connection,
     * and a synchronized map there was a lock shared by all of a server's threads. A handful of servers, by
     * identity; rewritten (dead ones dropped) only when one is met.
     */
    private volatile Met[] met = new Met[0];
    /** Held while a server is met: the object is the family's, and a lock on it could be anyone's. */
    private final Object lock = new Object();

    /** The server's value, meeting it first if it is new. */
    public V get(Object server, Meeting<V> meeting) throws Exception {
        return get(server, meeting, (s, v) -> {
        });
    }

    /**
     * The server's value, meeting it first if it is new. The value is recorded before {@code then} runs, so
     * a call back from the server finds it met rather than meeting it twice.
     */
    @SuppressWarnings("unchecked")
    public V get(Object server, Meeting<V> meeting, Then<V> then) throws Exception {
        Object known = lookup(server);
        if (known != null) {
            return known == UNTOUCHED ? null : (V) known;
        }
        V value;
        synchronized (lock) {
            known = lookup(server);
            if (known != null) {
                return known == UNTOUCHED ? null : (V) known;
            }
            value = meeting.meet(server);
            List<Met> next = new ArrayList<>();
            for (Met m : met) {
                if (m.server.get() != null) {
                    next.add(m);
                }
            }
            next.add(new Met(server, value == null ? UNTOUCHED : value));
            met = next.toArray(new Met[0]);
        }
        if (value != null) {
            then.after(server, value);
        }
        return value;
    }

    /** Whether the server was met and not left untouched. */
    public boolean has(Object server) {
        Object known = lookup(server);
        return known != null && known != UNTOUCHED;
    }

    /** Each server met and not left untouched, still alive, with its value. */
    @SuppressWarnings("unchecked")
    public void forEach(Then<V> action) throws Exception {
        for (Met m : met) {
            Object server = m.server.get();
            if (server != null && m.value != UNTOUCHED) {
                action.after(server, (V) m.value);
            }
        }
    }

    private Object lookup(Object server) {
        for (Met m : met) {
            if (m.server.get() == server) {
                return m.value;
            }
        }
        return null;
    }

    private static final class Met {
        final WeakReference<Object> server;
        final Object value;

        Met(Object server, Object value) {
            this.server = new WeakReference<>(server);
            this.value = value;
        }
    }
}
