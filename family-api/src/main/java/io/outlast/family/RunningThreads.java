package io.outlast.family;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The platform threads alive when the agent installs, each with the task it was started with: where a family
 * finds the servers already running then (an acceptor, selector or dispatcher thread runs an object that leads
 * to its server), to govern their open connections at once rather than at their next activity, which an idle
 * connection may never have. The task is a private field of {@link Thread}: java.lang is opened to the agent's
 * own class loader for it, never to the application's.
 */
public final class RunningThreads {
    /** What a family does with each thread; its failures are the family's to keep. */
    public interface Visitor {
        void visit(Thread thread, Object task) throws Exception;
    }

    private final List<Thread> threads;
    private final Map<Thread, Object> tasks;

    private RunningThreads(List<Thread> threads, Map<Thread, Object> tasks) {
        this.threads = threads;
        this.tasks = tasks;
    }

    /** The threads now, with their tasks where they can be read (none if java.lang cannot be opened). */
    public static RunningThreads now(Instrumentation inst, Consumer<String> warn) {
        List<Thread> threads = live();
        Map<Thread, Object> tasks = new IdentityHashMap<>();
        try {
            JavaModules.openToAgent(inst, Thread.class, "java.lang");
            TaskField field = TaskField.find();
            for (Thread t : threads) {
                Object task = field.read(t);
                if (task != null) {
                    tasks.put(t, task);
                }
            }
        } catch (Exception | LinkageError e) {
            warn.accept("cannot read what the running threads run (" + e + "): servers already running are met at"
                    + " their next connection or request instead");
        }
        return new RunningThreads(threads, tasks);
    }

    /** Each thread with its task (null where none was given or it cannot be read). */
    public void forEach(Visitor visitor) throws Exception {
        for (Thread t : threads) {
            visitor.visit(t, tasks.get(t));
        }
    }

    /** A set that tells objects apart by identity: a server's equals is the application's. */
    public static <T> java.util.Set<T> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private static List<Thread> live() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(all, true)) == all.length) {
            all = new Thread[all.length * 2];
        }
        List<Thread> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(all[i]);
        }
        return out;
    }

    /** Where a thread keeps its task: {@code target} up to Java 20, {@code holder.task} from 21. */
    private static final class TaskField {
        private final Field holder;
        private final Field task;

        private TaskField(Field holder, Field task) {
            this.holder = holder;
            this.task = task;
        }

        static TaskField find() throws ReflectiveOperationException {
            try {
                Field target = Thread.class.getDeclaredField("target");
                target.setAccessible(true);
                return new TaskField(null, target);
            } catch (NoSuchFieldException java21) {
                Field holder = Thread.class.getDeclaredField("holder");
                holder.setAccessible(true);
                Field task = holder.getType().getDeclaredField("task");
                task.setAccessible(true);
                return new TaskField(holder, task);
            }
        }

        Object read(Thread t) throws IllegalAccessException {
            Object owner = holder == null ? t : holder.get(t);
            return owner == null ? null : task.get(owner);
        }
    }
}
