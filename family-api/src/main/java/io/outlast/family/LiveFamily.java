package io.outlast.family;

/** A family once started: what {@link FamilyModule} hands the agent's later calls to. */
public interface LiveFamily {
    /** See {@link InstrumentationModule#prepare}. */
    default void prepare(RunningThreads threads) throws Exception {
    }

    /** See {@link InstrumentationModule#meetRunning}. */
    default void meetRunning(RunningThreads threads) throws Exception {
    }

    /** See {@link InstrumentationModule#reconfigured}: usually its {@link Servers#reconfigured()}. */
    default void reconfigured() {
    }

    /** See {@link InstrumentationModule#drainAtExit}. */
    default void drainAtExit() throws Exception {
    }

    /** The agent is reset and the family's hooks are gone: let go of what only the hooks would have ended. */
    default void stop() {
    }
}
