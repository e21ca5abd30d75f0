package io.outlast.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

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

    private final Map<Object, Object> met = Collections.synchronizedMap(new WeakHashMap<>());

    public boolean met(Object server) {
        return met.containsKey(server);
    }

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
        Object known = met.get(server);
        if (known != null) {
            return known == UNTOUCHED ? null : (V) known;
        }
        V value;
        synchronized (met) {
            known = met.get(server);
            if (known != null) {
                return known == UNTOUCHED ? null : (V) known;
            }
            value = meeting.meet(server);
            met.put(server, value == null ? UNTOUCHED : value);
        }
        if (value != null) {
            then.after(server, value);
        }
        return value;
    }

    /** The servers met and not left untouched, still alive. */
    public List<Object> servers() {
        List<Object> out = new ArrayList<>();
        synchronized (met) {
            for (Map.Entry<Object, Object> e : met.entrySet()) {
                if (e.getValue() != UNTOUCHED) {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }
}
