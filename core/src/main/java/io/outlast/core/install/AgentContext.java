package io.outlast.core.install;

import io.outlast.core.log.EventLog;
import io.outlast.core.settings.Config;
import io.outlast.family.Drain;
import io.outlast.family.EndpointReport;
import io.outlast.family.FamilyContext;
import io.outlast.family.Sweep;
import io.outlast.family.Timeouts;
import io.outlast.family.ConnectionTracker;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * What an instrumentation module gets from the agent: settings (which an attach may change while the
 * server runs), the log, and a timer thread.
 */
public final class AgentContext implements FamilyContext {
    private volatile Config config;
    private final EventLog log;
    private final Instrumentation instrumentation;
    private final ScheduledExecutorService timer;
    private final List<TimerSweep> sweeps = new CopyOnWriteArrayList<>();
    private final List<ConnectionTracker> trackers = new CopyOnWriteArrayList<>();

    AgentContext(Config config, EventLog log, Instrumentation instrumentation) {
        this.config = config;
        this.log = log;
        this.instrumentation = instrumentation;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> AgentThreads.daemon(r, "outlast-timer"));
        t.setRemoveOnCancelPolicy(true);
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timer = t;
    }

    /** The settings in force: read it each time, an attach may have changed it since. */
    public Config config() {
        return config;
    }

    @Override
    public Timeouts timeouts() {
        return config.timeouts;
    }

    @Override
    public void report(EndpointReport report) {
        log.report(report);
    }

    @Override
    public void warnOnce(String message) {
        log.warnOnce(message, message);
    }

    public EventLog log() {
        return log;
    }

    @Override
    public Instrumentation instrumentation() {
        return instrumentation;
    }

    /** Runs {@code task} every {@code periodMs} on the agent's timer thread, never a server's: for sweeps only, which start lazily. */
    private ScheduledFuture<?> every(long periodMs, Runnable task) {
        return timer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                // a failing sweep must not cancel the next one, nor fail in silence
                failedOnce(t);
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} every {@code periodMs} on the agent's timer thread, from now on. */
    void periodically(long periodMs, Runnable task) {
        every(periodMs, task);
    }

    /** Each kind of failure said once, by its place: a sweep that fails fails every period. */
    private void failedOnce(Throwable t) {
        StackTraceElement[] at = t.getStackTrace();
        String where = at.length > 0 ? " at " + at[0] : "";
        log.warnOnce("timer " + t.getClass().getName() + where, "a timer task failed (the next run goes ahead;"
                + " servers are unaffected): " + EventLog.describe(t) + where);
    }

    @Override
    public Sweep sweep(ToLongFunction<Timeouts> period, Runnable task) {
        TimerSweep s = new TimerSweep(period, task);
        sweeps.add(s);
        return s;
    }

    @Override
    public void register(ConnectionTracker t) {
        trackers.add(t);
    }

    /** The connections each family tracks now: back to zero when they are closed (nothing leaks). */
    String trackedConnections() {
        StringBuilder b = new StringBuilder();
        for (ConnectionTracker t : trackers) {
            b.append(b.length() == 0 ? "" : ", ").append(t.family()).append(' ').append(t.registry().size());
        }
        return b.toString();
    }

    /** The drain holding this family's connections on this local port, or null: what {@code status} and JMX show. */
    Drain drainOf(String family, int port) {
        for (ConnectionTracker t : trackers) {
            if (t.family().equals(family)) {
                Drain d = t.drainOf(port);
                if (d != null) {
                    return d;
                }
            }
        }
        return null;
    }

    /** Whether a server is draining now: its status changes with time, not only with events. */
    boolean draining() {
        for (ConnectionTracker t : trackers) {
            if (t.draining()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void info(String line) {
        log.info(line);
    }

    void reconfigure(Config next) {
        config = next;
        for (TimerSweep s : sweeps) {
            s.schedule(next);
        }
    }

    void shutdown() {
        timer.shutdownNow();
    }

    /** See {@link #sweep}. */
    private final class TimerSweep implements Sweep {
        private final ToLongFunction<Timeouts> period;
        private final Runnable task;
        private volatile boolean started;
        private ScheduledFuture<?> scheduled;
        private long scheduledPeriod = -1;

        TimerSweep(ToLongFunction<Timeouts> period, Runnable task) {
            this.period = period;
            this.task = task;
        }

        @Override
        public void start() {
            if (started) {
                return;
            }
            synchronized (this) {
                started = true;
                try {
                    schedule(config);
                } catch (RejectedExecutionException e) {
                    // the agent is shutting down
                }
            }
        }

        synchronized void schedule(Config c) {
            if (!started) {
                return;
            }
            long p = period.applyAsLong(c.timeouts);
            if (p == scheduledPeriod) {
                return;
            }
            if (scheduled != null) {
                scheduled.cancel(false);
                scheduled = null;
            }
            scheduledPeriod = p;
            if (p > 0) {
                scheduled = every(p, task);
            }
        }
    }
}
