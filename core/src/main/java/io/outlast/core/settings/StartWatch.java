package io.outlast.core.settings;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.TimeUnit;

/**
 * Tells when the application has started, by its class loading, which stops once it is up: fewer than 10
 * new classes in each of 3 tenths of a second, or 15 s at most.
 *
 * <p>Counts the classes with the JVM's own counters ({@link LoadedClassCounter}), a few microseconds a look,
 * every tenth of a second. Without them the classes are listed to count them (0.5-2.7 ms a call as they grow
 * to 7,000, measured on Spring Boot), and since a start saturates a 2-core machine (its JIT threads alone
 * take more CPU than its main thread), every millisecond spent looking is one the start waits for: then a
 * look every half second until one finds the start calmed, and every tenth to confirm it (about 5 looks in
 * a 2.5 s start instead of 25, for an install at most half a second later).
 */
final class StartWatch {
    private static final int BUSY_MS = 500;
    private static final int CALM_MS = 100;
    private static final int CLASSES_PER_TENTH = 10;
    private static final int CALM_TENTHS = 3;
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private StartWatch() {
    }

    static void await(Instrumentation inst) {
        LoadedClassCounter counter = LoadedClassCounter.open();
        try {
            await(inst, counter);
        } finally {
            if (counter != null) {
                counter.close();
            }
        }
    }

    private static void await(Instrumentation inst, LoadedClassCounter counter) {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        long last = loaded(inst, counter);
        int busyMs = counter != null ? CALM_MS : BUSY_MS;
        int step = busyMs;
        int calmTenths = 0;
        while (calmTenths < CALM_TENTHS && System.nanoTime() < deadline) {
            try {
                Thread.sleep(step);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = loaded(inst, counter);
            boolean calm = (now - last) * 100 < CLASSES_PER_TENTH * step;
            last = now;
            if (step == CALM_MS) {
                calmTenths = calm ? calmTenths + 1 : 0;
                step = calm ? CALM_MS : busyMs;
            } else if (calm) {
                step = CALM_MS;
            }
        }
    }

    private static long loaded(Instrumentation inst, LoadedClassCounter counter) {
        if (counter != null) {
            try {
                return counter.loaded();
            } catch (IOException e) {
                // read once before: not expected; the list still counts
            }
        }
        return inst.getAllLoadedClasses().length;
    }
}
