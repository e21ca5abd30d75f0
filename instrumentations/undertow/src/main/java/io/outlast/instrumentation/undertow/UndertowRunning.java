package io.outlast.instrumentation.undertow;

import io.outlast.family.ConnectionTracker;
import io.outlast.family.Reflection;
import io.outlast.family.RunningThreads;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Undertow's connections open when the agent installs. Each waits on a timer of its I/O thread (XNIO's
 * {@code WorkerThread}, 3.8) armed with Undertow's own value, which would fire only then (60 s by default): at
 * install each such timer is taken off its thread's queue and its updater run at once, on that thread as always,
 * where the agent's advice moves it to the agent's value, or closes a connection already past it.
 */
final class UndertowRunning {
    private static final String IO_THREAD = "org.xnio.nio.WorkerThread";
    private static final String UPDATER = "io.undertow.server.protocol.ParseTimeoutUpdater";
    private static final int BATCH = 64;
    private static final String SERVER_HANDLE = "org.xnio.nio.NioTcpServerHandle";
    private static final String CONNECTION = "io.undertow.server.protocol.http.HttpServerConnection";

    private UndertowRunning() {
    }

    /**
     * The API of the connection class its I/O threads serve, from their loader, before the advice: the first calls
     * of the hooks on those threads find it resolved (each thread resolving it held its requests some 0.1-0.4 s).
     */
    static void prepare(RunningThreads threads) throws Exception {
        Set<ClassLoader> loaders = new HashSet<>();
        threads.forEach((thread, task) -> {
            if (thread.getClass().getName().equals(IO_THREAD)) {
                loaders.add(thread.getClass().getClassLoader());
            }
        });
        for (ClassLoader cl : loaders) {
            try {
                Class<?> connection = Reflection.load(cl, CONNECTION);
                UndertowApi.of(connection);
                UndertowHttp2.ofClass(connection);
            } catch (ClassNotFoundException | LinkageError e) {
                // Undertow's classes behind another loader than XNIO's: resolved at the first call, as without this
            }
        }
    }

    /**
     * The listening channels the I/O threads serve (XNIO registers each with one thread's selector, its key's handle
     * naming it): what an exit's drain closes of a server started before the agent came. Read off the threads'
     * selectors once, at install.
     */
    static List<Object> listening(RunningThreads threads) throws Exception {
        List<Object> out = new ArrayList<>();
        threads.forEach((thread, task) -> {
            if (!thread.getClass().getName().equals(IO_THREAD)) {
                return;
            }
            Selector selector = (Selector) Reflection.read(thread, "selector");
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    for (SelectionKey key : new ArrayList<>(selector.keys())) {
                        Object handle = key.attachment();
                        if (handle != null && handle.getClass().getName().equals(SERVER_HANDLE)) {
                            out.add(Reflection.read(handle, "server"));
                        }
                    }
                    return;
                } catch (ConcurrentModificationException registeredMeanwhile) {
                    // the thread registered a connection as the keys were copied: again
                }
            }
        });
        return out;
    }

    static void rearm(RunningThreads threads, ConnectionTracker tracker) throws Exception {
        threads.forEach((thread, task) -> {
            if (thread.getClass().getName().equals(IO_THREAD) && thread instanceof Executor) {
                Executor ioThread = (Executor) thread;
                ioThread.execute(() -> {
                    try {
                        rearm(ioThread, timers(thread), 0, tracker);
                    } catch (Throwable t) {
                        tracker.failed(t);
                    }
                });
            }
        });
    }

    /** The I/O thread's timers now queued. */
    private static List<Object> timers(Thread ioThread) throws ReflectiveOperationException {
        Object lock = Reflection.read(ioThread, "workLock");
        Collection<?> queue = (Collection<?>) Reflection.read(ioThread, "delayWorkQueue");
        synchronized (lock) {
            return new ArrayList<>(queue);
        }
    }

    /**
     * On the I/O thread, {@link #BATCH} timers at a time, each batch a task of its own: the thread's own reads and
     * writes wait for one batch, not for all its connections (10,000 at once held requests 0.3 s).
     */
    private static void rearm(Executor ioThread, List<Object> timers, int from, ConnectionTracker tracker) {
        int to = Math.min(timers.size(), from + BATCH);
        Method remove = null;
        for (int i = from; i < to; i++) {
            try {
                Object key = timers.get(i);
                Object command = Reflection.read(key, "command");
                if (command != null && command.getClass().getName().equals(UPDATER)) {
                    if (remove == null || !remove.getDeclaringClass().isInstance(key)) {
                        remove = Reflection.accessible(key.getClass().getMethod("remove"));
                    }
                    if ((Boolean) remove.invoke(key)) {
                        ((Runnable) command).run();
                    }
                }
            } catch (Throwable t) {
                tracker.failed(t);
            }
        }
        if (to < timers.size()) {
            Runnable next = () -> rearm(ioThread, timers, to, tracker);
            try {
                // delayed, not queued: the thread runs what is queued while it runs its queue, so queued batches ran
                // back to back, its I/O waiting for all of them; a delayed one waits for its next select
                Reflection.accessible(ioThread.getClass().getMethod("executeAfter", Runnable.class, long.class,
                        TimeUnit.class)).invoke(ioThread, next, 1L, TimeUnit.MILLISECONDS);
            } catch (ReflectiveOperationException | RuntimeException e) {
                ioThread.execute(next);
            }
        }
    }
}
