package io.outlast.family;

/**
 * What every family does with the servers it governs (connectors, endpoints, servers): meets each once, keeps
 * what it needs of it (its API handle, its own timeouts, to put back when a setting is unset), and applies the
 * settings to each again when an attach or a reset changes them. Held weakly: a stopped server is let go.
 */
public final class Servers<M> {
    /** The family's part. */
    public interface Family<M> {
        /**
         * First sight of a server: apply the settings, report it, and return what the family keeps of it, which
         * must not refer to the server (or it would never be let go); null leaves it untouched.
         */
        M meet(Object server) throws Exception;

        /** After the meeting, outside its lock (the server may call back into the family): its open connections. */
        default void met(Object server, M kept) throws Exception {
        }

        /**
         * The settings changed: apply them to this server and its open connections, the server's own value
         * where a setting is now unset.
         */
        default void reapply(Object server, M kept) throws Exception {
        }
    }

    private final ConnectionTracker tracker;
    private final Family<M> family;
    private final ServerObjects<M> met = new ServerObjects<>();

    public Servers(ConnectionTracker tracker, Family<M> family) {
        this.tracker = tracker;
        this.family = family;
    }

    /** What the family keeps of this server, meeting it first if it is new; null if it is left untouched. */
    public M adopt(Object server) throws Exception {
        return met.get(server, family::meet, family::met);
    }

    /** Each server met and governed, still alive, with what the family keeps of it. */
    public void forEach(ServerObjects.Then<M> action) throws Exception {
        met.forEach(action);
    }

    /** The settings changed: each server gets them again; one that fails is said once and the others go on. */
    public void reconfigured() {
        try {
            met.forEach((server, kept) -> {
                try {
                    family.reapply(server, kept);
                } catch (Throwable t) {
                    tracker.failed(t);
                }
            });
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }
}
