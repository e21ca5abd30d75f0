package io.outlast.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A process's CPU time thread by thread, in nanoseconds from each thread's {@code schedstat}: the process's
 * {@code stat} line counts in 10 ms ticks, ±0.7% of a 3 s window at half a core, more than the agent's cost
 * per request; and thread by thread, a difference between two servers shows in whose threads it is.
 */
final class ThreadCpu {
    /** What a thread does, from its name as /proc shows it (cut to 15 characters). */
    enum Work {
        /** The server's own threads: event loops, acceptors, workers. */
        SERVING,
        JIT,
        /** G1's threads, and the VM thread: the Serial GC, which a JVM confined to one core picks, collects there. */
        GC,
        /** The JVM's other threads (reference handling, its periodic tasks). */
        JVM,
        AGENT;

        private static final List<String> JVM_THREADS = List.of("VM Periodic", "Service Thread",
                "Monitor Deflati", "Signal Dispatch", "Notification Th", "Common-Cleaner", "Finalizer",
                "Reference Handl", "Sweeper thread", "Attach Listener");

        static Work of(String thread) {
            if (thread.startsWith("C1 CompilerThre") || thread.startsWith("C2 CompilerThre")) {
                return JIT;
            }
            if (thread.startsWith("GC Thread") || thread.startsWith("G1 ") || thread.equals("VM Thread")) {
                return GC;
            }
            if (thread.startsWith("outlast-")) {
                return AGENT;
            }
            return JVM_THREADS.stream().anyMatch(thread::startsWith) ? JVM : SERVING;
        }
    }

    private final Map<String, Work> work = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, Long> nanos = new HashMap<>();

    private ThreadCpu() {
    }

    static ThreadCpu of(long pid) throws IOException {
        ThreadCpu cpu = new ThreadCpu();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name;
                String schedstat;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                    schedstat = Files.readString(task.resolve("schedstat"));
                } catch (IOException gone) {
                    continue;
                }
                String id = task.getFileName().toString();
                cpu.work.put(id, Work.of(name));
                cpu.names.put(id, name);
                // its first field: time on a CPU, nanoseconds
                cpu.nanos.put(id, Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
            }
        }
        return cpu;
    }

    /**
     * Nanoseconds spent since {@code before}, indexed by {@link Work#ordinal()}. A thread that ended meanwhile
     * loses its last part; under a steady load a JVM's threads stay.
     */
    long[] since(ThreadCpu before) {
        long[] spent = new long[Work.values().length];
        nanos.forEach((id, ns) -> spent[work.get(id).ordinal()] += ns - before.nanos.getOrDefault(id, 0L));
        return spent;
    }

    /** Nanoseconds spent since {@code before}, by thread name (threads of one name summed). */
    Map<String, Long> byName(ThreadCpu before) {
        Map<String, Long> spent = new HashMap<>();
        nanos.forEach((id, ns) -> spent.merge(names.get(id), ns - before.nanos.getOrDefault(id, 0L), Long::sum));
        return spent;
    }
}
