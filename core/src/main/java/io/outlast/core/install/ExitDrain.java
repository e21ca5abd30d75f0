package io.outlast.core.install;

import io.outlast.core.log.EventLog;
import io.outlast.core.settings.Config;
import io.outlast.family.InstrumentationModule;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The JVM exiting (SIGTERM, {@code System.exit}) with a drain set: each family drains its servers, all at once, and
 * the exit waits for them, never longer than the drain (and a grace for the last closes to be written). A server the
 * application stops from its own hook drains there too, and the two meet on one drain. Registered at install; it reads
 * the settings in force at the exit, so an attach that sets or unsets the drain needs nothing more.
 */
final class ExitDrain implements Runnable {
    /** Past the drain's end: for the families' last closes and the log to write them. */
    private static final long GRACE_MS = 2000;

    private final List<InstrumentationModule> modules;
    private final Supplier<Config> config;
    private final EventLog log;

    ExitDrain(List<InstrumentationModule> modules, Supplier<Config> config, EventLog log) {
        this.modules = modules;
        this.config = config;
        this.log = log;
    }

    @Override
    public void run() {
        long drainMs = config.get().drainMs;
        if (drainMs <= 0) {
            return;
        }
        List<Thread> drains = new ArrayList<>();
        for (InstrumentationModule m : modules) {
            Thread t = AgentThreads.daemon(() -> {
                try {
                    m.drainAtExit();
                } catch (Throwable e) {
                    log.warn(m.family() + ": the drain at exit failed (" + EventLog.describe(e) + ")");
                }
            }, "outlast-drain-" + m.family());
            t.start();
            drains.add(t);
        }
        long end = System.currentTimeMillis() + drainMs + GRACE_MS;
        try {
            for (Thread t : drains) {
                t.join(Math.max(1, end - System.currentTimeMillis()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.writeQueued(Math.max(1, end - System.currentTimeMillis()));
    }
}
