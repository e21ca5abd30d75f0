package io.outlast.core;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** What an instrumentation module gets from the agent: settings, the log, and a timer thread. */
public final class AgentContext {
    private final Config config;
    private final EventLog log;
    private final Instrumentation instrumentation;
    private final ScheduledExecutorService timer;

    AgentContext(Config config, EventLog log, Instrumentation instrumentation) {
        this.config = config;
        this.log = log;
        this.instrumentation = instrumentation;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "outlast-timer");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timer = t;
    }

    public Config config() {
        return config;
    }

    public EventLog log() {
        return log;
    }

    /** For what only the agent may do: reading and opening modules (a family in a named module needs it). */
    public Instrumentation instrumentation() {
        return instrumentation;
    }

    /** Runs {@code task} every {@code periodMs} on the agent's timer thread, never a server's. */
    public void every(long periodMs, Runnable task) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                // a failing sweep must not cancel the next one
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }
}
