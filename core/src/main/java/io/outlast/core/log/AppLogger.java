package io.outlast.core.log;

import java.lang.reflect.Method;

/**
 * {@code log=app}: the application's own SLF4J logger "outlast", reached reflectively in the application's
 * class loader (a copy inside the agent could not be the application's), so that close events join the log
 * pipeline the service already ships. Called on the agent's log thread only.
 */
final class AppLogger {
    private final Object logger;
    private final Method info;
    private final Method warn;

    private AppLogger(Object logger, Method info, Method warn) {
        this.logger = logger;
        this.info = info;
        this.warn = warn;
    }

    /** The logger, or null where the loader has no SLF4J. */
    static AppLogger of(ClassLoader loader) {
        try {
            Class<?> factory = Class.forName("org.slf4j.LoggerFactory", true, loader);
            Object logger = factory.getMethod("getLogger", String.class).invoke(null, "outlast");
            if (logger.getClass().getName().contains("NOP")) {
                // SLF4J without a binding drops every line
                return null;
            }
            Class<?> type = Class.forName("org.slf4j.Logger", false, loader);
            return new AppLogger(logger, type.getMethod("info", String.class), type.getMethod("warn", String.class));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** False when the application's logger failed: the line then goes to the agent's own output. */
    boolean log(boolean warning, String line) {
        try {
            (warning ? warn : info).invoke(logger, line);
            return true;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return false;
        }
    }
}
