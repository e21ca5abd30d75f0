package io.outlast.family;

import java.lang.instrument.Instrumentation;
import java.util.function.ToLongFunction;

/**
 * What a family gets from the agent: the timeouts in force (which an attach may change while the server runs),
 * the log's two kinds of line a family writes, and the timer thread.
 */
public interface FamilyContext {
    /** The timeouts in force: read them each time, an attach may have changed them since. */
    Timeouts timeouts();

    /** One line per server endpoint met, with its timeouts before and after. */
    void report(EndpointReport report);

    /** A line of what the agent did (a drain begun, a drain ended). */
    void info(String line);

    /** A warning said once per distinct message (bounded). */
    void warnOnce(String message);

    /**
     * A task for the timer thread, run as often as {@code period} says for the timeouts in force (not at all
     * while it says 0 or less), following them when an attach changes them; from its {@link Sweep#start()}
     * on, which a family calls when it meets its first server or connection: each wake-up costs a busy
     * server's core ~100 us (measured), for nothing in an application without that server.
     */
    Sweep sweep(ToLongFunction<Timeouts> period, Runnable task);

    /** For what only the agent may do: reading and opening modules ({@link JavaModules}). */
    Instrumentation instrumentation();

    /** Counted in {@code status}: the connections each family tracks now. */
    void register(ConnectionTracker tracker);
}
