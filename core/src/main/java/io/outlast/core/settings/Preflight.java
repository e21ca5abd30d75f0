package io.outlast.core.settings;

import io.outlast.core.log.LogTarget;

import java.io.IOException;
import java.io.Writer;
import java.lang.instrument.Instrumentation;
import java.util.Map;

/**
 * What the agent does at premain before the application has started: checks the settings, so that a bad one
 * gets its error line at once, then waits for the start to end ({@link StartWatch}); then it installs as an
 * attach does (its advice into classes already loaded, then the servers already running met with their open
 * connections).
 * The application's start pays for none of the agent's work: not Byte Buddy (some 800 classes, loaded and
 * verified), not a transformer seeing each of its classes load, not the bootstrap API's definition, the log
 * or the installer (about 20 ms of the agent thread's CPU, measured on Jetty, much of it the first use of
 * JDK code that the application has loaded by then). A server's own timeouts are seconds long; the agent's
 * arrive well before any of them can matter. Must not refer to the bootstrap API: it is defined after this.
 */
public final class Preflight {
    public static final String DISABLED = "outlast: disabled (enabled=false); the server runs unchanged";

    private Preflight() {
    }

    /** Called reflectively by the launcher; false when it printed why the agent stops here. */
    public static boolean check(String args) {
        String problem = problem(args, System.getProperties(), System.getenv());
        if (problem != null) {
            System.err.println(problem);
        }
        return problem == null;
    }

    /** Called reflectively by the launcher at premain, after {@link #check}. */
    public static void awaitStart(Instrumentation inst) {
        StartWatch.await(inst);
    }

    static String problem(String args, Map<?, ?> systemProperties, Map<String, String> env) {
        Config config;
        try {
            config = Config.load(args, systemProperties, env);
        } catch (ConfigException e) {
            return configError(e);
        }
        if (!config.enabled) {
            return DISABLED;
        }
        try {
            Writer w = LogTarget.open(config.log);
            w.close();
        } catch (IOException | RuntimeException e) {
            return logError(config, e);
        }
        return null;
    }

    public static String configError(ConfigException e) {
        return "outlast: error: " + e.getMessage() + "; outlast changes nothing";
    }

    public static String logError(Config config, Exception e) {
        return "outlast: error: bad setting log=" + config.log + ": cannot open it (" + e + "); outlast changes nothing";
    }
}
