package io.outlast.core;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.TimeUnit;

/**
 * Tells when the application has started, by its class loading, which stops once it is up: fewer than 10
 * new classes in each of 3 tenths of a second, or 15 s at most.
 *
 * <p>Looks rarely while the start is busy: counting the classes lists them all (0.5-2.7 ms a call as they
 * grow to 7,000, measured on Spring Boot) and a start saturates a 2-core machine (its JIT threads alone
 * take more CPU than its main thread), so every millisecond spent looking is one the start waits for. A
 * look every half second until one finds the start calmed, then every tenth to confirm it: about 5 looks
 * in a 2.5 s start instead of 25, for an install at most half a second later.
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
        long deadline = System.nanoTime() + LIMIT_NANOS;
        int last = inst.getAllLoadedClasses().length;
        int step = BUSY_MS;
        int calmTenths = 0;
        while (calmTenths < CALM_TENTHS && System.nanoTime() < deadline) {
            try {
                Thread.sleep(step);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int now = inst.getAllLoadedClasses().length;
            boolean calm = (now - last) * 100 < CLASSES_PER_TENTH * step;
            last = now;
            if (step == CALM_MS) {
                calmTenths = calm ? calmTenths + 1 : 0;
                step = calm ? CALM_MS : BUSY_MS;
            } else if (calm) {
                step = CALM_MS;
            }
        }
    }
}
