package io.outlast.instrumentation.undertow;

import io.outlast.family.ConnectionTracker;
import io.outlast.family.Reflection;
import io.outlast.family.RunningThreads;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Undertow's connections open when the agent installs. Each waits on a timer of its I/O thread (XNIO's
 * {@code WorkerThread}, 3.8) armed with Undertow's own value, which would fire only then (60 s by default): at
 * install each such timer is taken off its thread's queue and its updater run at once, on that thread as always,
 * where the agent's advice moves it to the agent's value, or closes a connection already past it.
 */
final class UndertowRunning {
    private static final String IO_THREAD = "org.xnio.nio.WorkerThread";
    private static final String UPDATER = "io.undertow.server.protocol.ParseTimeoutUpdater";

    private UndertowRunning() {
    }

    static void rearm(RunningThreads threads, ConnectionTracker tracker) throws Exception {
        threads.forEach((thread, task) -> {
            if (thread.getClass().getName().equals(IO_THREAD) && thread instanceof Executor) {
                ((Executor) thread).execute(() -> {
                    try {
                        rearmOn(thread);
                    } catch (Throwable t) {
                        tracker.failed(t);
                    }
                });
            }
        });
    }

    /** On the I/O thread. */
    private static void rearmOn(Thread ioThread) throws ReflectiveOperationException {
        Object lock = Reflection.read(ioThread, "workLock");
        Collection<?> queue = (Collection<?>) Reflection.read(ioThread, "delayWorkQueue");
        List<Object> keys;
        synchronized (lock) {
            keys = new ArrayList<>(queue);
        }
        for (Object key : keys) {
            Object command = Reflection.read(key, "command");
            if (command != null && command.getClass().getName().equals(UPDATER)) {
                Method remove = Reflection.accessible(key.getClass().getMethod("remove"));
                if ((Boolean) remove.invoke(key)) {
                    ((Runnable) command).run();
                }
            }
        }
    }
}
