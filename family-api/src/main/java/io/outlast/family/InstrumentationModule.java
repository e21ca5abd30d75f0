package io.outlast.family;

import java.util.List;

/** One server family. Found with {@link java.util.ServiceLoader} in the agent's class loader. */
public interface InstrumentationModule {
    /** The family's name in the {@code servers} setting. */
    String family();

    List<TypeInstrumentation> typeInstrumentations();

    /**
     * Type names whose relocated copies (the same name behind another package prefix, as a shaded library
     * has) the family does not instrument: the agent says once that such a copy is left alone.
     */
    default List<String> relocationProbes() {
        return java.util.Collections.emptyList();
    }

    /** Called before any class is transformed, so advice that runs at once finds its hooks installed. */
    void start(FamilyContext context);

    /**
     * An attach, before the advice goes in: resolve now, on the installing thread, what the hooks' first calls would
     * on the servers' threads (the server's API from its loader: an I/O thread waited 36 ms for the loader's lock,
     * in a profile of an attach to Undertow).
     */
    default void prepare(RunningThreads threads) throws Exception {
    }

    /**
     * The agent has just installed, its advice in place: meet the family's servers already running (found from
     * the threads that run them) and govern their open connections now, not at their next activity. On the
     * installing thread, never a server's.
     */
    default void meetRunning(RunningThreads threads) throws Exception {
    }

    /**
     * The settings changed (an attach to a running agent, or a reset to none): apply them to the server
     * objects met so far and their open connections, each server's own value where a setting is now unset.
     */
    default void reconfigured() {
    }

    /**
     * The JVM is exiting (SIGTERM, {@code System.exit}) with a drain set: drain every server the family governs
     * ({@link Drain}), and return when it is done (at most the drain). On the agent's exit hook, concurrently with the
     * application's own hooks, which may be stopping the same servers.
     */
    default void drainAtExit() throws Exception {
    }

    /** The agent is reset: its advice is gone, the hooks must do nothing any more. */
    default void stop() {
    }
}
