package io.outlast.family;

/**
 * The module of a server family: its name, the version lines it knows, its type instrumentations, and how it
 * installs its hooks. The agent's calls after the start go to what {@link #install} made.
 */
public abstract class FamilyModule implements InstrumentationModule {
    private final String family;
    private final String[] versionLines;
    private volatile LiveFamily live;

    /** {@code versionLines}: as prefixes ("10.1."); none where the version is the JDK's. */
    protected FamilyModule(String family, String... versionLines) {
        this.family = family;
        this.versionLines = versionLines.clone();
    }

    @Override
    public final String family() {
        return family;
    }

    /**
     * Makes the family's hooks for this tracker and points the bootstrap API at them; null leaves the family off
     * (say why with the tracker's warning).
     */
    protected abstract LiveFamily install(ConnectionTracker tracker) throws Exception;

    /** Points the bootstrap API at no hooks: every advice call does nothing from now on. */
    protected abstract void uninstall();

    @Override
    public final void start(FamilyContext context) {
        ConnectionTracker tracker = new ConnectionTracker(family, context, versionLines);
        try {
            live = install(tracker);
        } catch (Exception | LinkageError e) {
            tracker.warnOnce(family + ": cannot start (" + e + "); left untouched");
        }
    }

    @Override
    public final void prepare(RunningThreads threads) throws Exception {
        LiveFamily f = live;
        if (f != null) {
            f.prepare(threads);
        }
    }

    @Override
    public final void meetRunning(RunningThreads threads) throws Exception {
        LiveFamily f = live;
        if (f != null) {
            f.meetRunning(threads);
        }
    }

    @Override
    public final void reconfigured() {
        LiveFamily f = live;
        if (f != null) {
            f.reconfigured();
        }
    }

    @Override
    public final void drainAtExit() throws Exception {
        LiveFamily f = live;
        if (f != null) {
            f.drainAtExit();
        }
    }

    @Override
    public final void stop() {
        uninstall();
        LiveFamily f = live;
        if (f != null) {
            f.stop();
        }
    }
}
