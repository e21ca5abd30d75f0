package io.outlast.instrumentation.jetty;

import io.outlast.family.Reflection;
import io.outlast.family.RunningThreads;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Jetty's connectors already running when the agent installs. Nothing of Jetty's own leads from a thread to its
 * connector but the thread pool: each pool thread runs the pool's {@code Runner}, and every connector leases its
 * acceptor threads from the pool's budget, which keeps the lease with the connector in it (9.4 to 12.1). A pool
 * of another kind (an executor of the application's) is not followed: its connectors are met at their next
 * connection.
 */
final class JettyRunning {
    private static final String POOL_RUNNER = "org.eclipse.jetty.util.thread.QueuedThreadPool$Runner";

    private JettyRunning() {
    }

    static List<Object> connectors(RunningThreads threads) throws Exception {
        Set<Object> pools = RunningThreads.identitySet();
        List<Object> connectors = new ArrayList<>();
        threads.forEach((thread, task) -> {
            if (task == null || !task.getClass().getName().equals(POOL_RUNNER)) {
                return;
            }
            Object pool = Reflection.outer(task);
            if (pool != null && pools.add(pool)) {
                for (Object leasee : leasees(pool)) {
                    JettyApi api = JettyApi.of(leasee.getClass());
                    if (api != null && api.isNetworkConnector(leasee)) {
                        connectors.add(leasee);
                    }
                }
            }
        });
        return connectors;
    }

    private static List<Object> leasees(Object pool) throws ReflectiveOperationException {
        List<Object> out = new ArrayList<>();
        Object budget = pool.getClass().getMethod("getThreadPoolBudget").invoke(pool);
        if (budget == null) {
            return out;
        }
        for (Object lease : (Iterable<?>) Reflection.read(budget, "leases")) {
            Object leasee = Reflection.read(lease, "leasee");
            if (leasee != null) {
                out.add(leasee);
            }
        }
        return out;
    }
}
