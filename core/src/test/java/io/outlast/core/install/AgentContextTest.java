package io.outlast.core.install;

import io.outlast.core.log.EventLog;
import io.outlast.core.settings.Config;
import io.outlast.family.Sweep;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentContextTest {
    /** A family's sweep wakes the timer only once started: an application without that server pays nothing. */
    @Test
    void aSweepRunsOnceStartedOnly() throws Exception {
        Config config = Config.fromArguments("");
        AgentContext context = new AgentContext(config, new EventLog(config, new StringWriter(), false), null);
        try {
            CountDownLatch ran = new CountDownLatch(1);
            Sweep sweep = context.sweep(c -> 20, ran::countDown);
            assertFalse(ran.await(300, TimeUnit.MILLISECONDS), "ran before it was started");
            sweep.start();
            sweep.start();
            assertTrue(ran.await(5, TimeUnit.SECONDS), "never ran once started");
        } finally {
            context.shutdown();
        }
    }

    /** A failing sweep runs again, and its failure is said once, not swallowed. */
    @Test
    void aFailingSweepIsSaidOnceAndRunsOn() throws Exception {
        Config config = Config.fromArguments("");
        StringWriter out = new StringWriter();
        EventLog log = new EventLog(config, out, false);
        log.start();
        AgentContext context = new AgentContext(config, log, null);
        try {
            CountDownLatch runs = new CountDownLatch(5);
            context.sweep(c -> 10, () -> {
                runs.countDown();
                throw new IllegalStateException("simulated");
            }).start();
            assertTrue(runs.await(5, TimeUnit.SECONDS), "a failure stopped the sweep");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!out.toString().contains("simulated")) {
                assertTrue(System.nanoTime() < end, "the failure was never said: " + out);
                Thread.sleep(10);
            }
        } finally {
            context.shutdown();
            log.stop();
        }
        String text = out.toString();
        assertTrue(text.contains("warning: a timer task failed") && text.contains("IllegalStateException"), text);
        assertEquals(1, text.split("simulated", -1).length - 1, "said more than once: " + text);
    }
}
