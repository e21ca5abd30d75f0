package io.outlast.core.install;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The agent's threads. They may be made on a server's thread (the timer starts with the first connection),
 * so they take nothing from it: no context class loader (a web application's would stay pinned after its
 * redeploy, as the OpenTelemetry and Elastic agents also avoid) and, where the JVM allows it (9+), no
 * inheritable thread-locals. Daemons: the agent never holds the JVM's exit.
 */
public final class AgentThreads {
    /** {@code Thread(ThreadGroup, Runnable, String, long, boolean inheritThreadLocals)}, Java 9+; null on 8. */
    private static final MethodHandle NO_INHERIT = noInherit();

    private AgentThreads() {
    }

    public static Thread daemon(Runnable task, String name) {
        Thread t = null;
        if (NO_INHERIT != null) {
            try {
                t = (Thread) NO_INHERIT.invoke((ThreadGroup) null, task, name, 0L, false);
            } catch (Throwable e) {
                t = null;
            }
        }
        if (t == null) {
            t = new Thread(task, name);
        }
        t.setDaemon(true);
        t.setContextClassLoader(null);
        return t;
    }

    private static MethodHandle noInherit() {
        try {
            return MethodHandles.publicLookup().findConstructor(Thread.class, MethodType.methodType(void.class,
                    ThreadGroup.class, Runnable.class, String.class, long.class, boolean.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
