package io.outlast.core;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
            AgentContext.Sweep sweep = context.sweep(c -> 20, ran::countDown);
            assertFalse(ran.await(300, TimeUnit.MILLISECONDS), "ran before it was started");
            sweep.start();
            sweep.start();
            assertTrue(ran.await(5, TimeUnit.SECONDS), "never ran once started");
        } finally {
            context.shutdown();
        }
    }
}
