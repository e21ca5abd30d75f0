package io.outlast.family;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A family's context for its unit tests: the timeouts a test sets, what the family reported and warned kept
 * for the test to read, and sweeps that never run on their own (a test calls the family's sweep itself).
 */
public final class TestFamilyContext implements FamilyContext {
    private volatile Timeouts timeouts;
    public final List<EndpointReport> reports = Collections.synchronizedList(new ArrayList<>());
    public final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    public TestFamilyContext(long idleMs, long headerMs) {
        this.timeouts = new Timeouts(idleMs, headerMs);
    }

    /** A tracker of this context for a family of this name knowing these version lines. */
    public ConnectionTracker tracker(String family, String... lines) {
        return new ConnectionTracker(family, this, lines);
    }

    public void timeouts(long idleMs, long headerMs) {
        this.timeouts = new Timeouts(idleMs, headerMs);
    }

    public void timeouts(Timeouts timeouts) {
        this.timeouts = timeouts;
    }

    @Override
    public Timeouts timeouts() {
        return timeouts;
    }

    @Override
    public void report(EndpointReport report) {
        reports.add(report);
    }

    @Override
    public void info(String line) {
    }

    @Override
    public void warnOnce(String message) {
        if (!warnings.contains(message)) {
            warnings.add(message);
        }
    }

    @Override
    public Sweep sweep(ToLongFunction<Timeouts> period, Runnable task) {
        return () -> {
        };
    }

    @Override
    public Instrumentation instrumentation() {
        return null;
    }

    @Override
    public void register(ConnectionTracker tracker) {
    }
}
