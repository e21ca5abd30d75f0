package io.outlast.core.log;

import io.outlast.core.install.AgentThreads;
import io.outlast.core.settings.Config;
import io.outlast.family.EndpointReport;

import io.outlast.bootstrap.CloseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.StringWriter;
import java.io.Writer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventLogTest {
    private static final CloseEvent EVENT = new CloseEvent(0, "jetty", "127.0.0.1:8080", "127.0.0.1:5000",
            CloseEvent.SERVER_IDLE, 65001, 3, 70000);

    @Test
    void textLine() throws Exception {
        EventLog log = new EventLog(Config.fromArguments(""), new StringWriter(), false);
        assertEquals("outlast: close server=jetty local=127.0.0.1:8080 remote=127.0.0.1:5000 closer=server-idle"
                + " idle_ms=65001 requests=3 age_ms=70000", log.format(EVENT));
    }

    /** HTTP/2 closes say so at the end of the line, the HTTP/1.1 line unchanged for whoever parses it. */
    @Test
    void anHttp2CloseNamesItsProtocol() throws Exception {
        CloseEvent h2 = new CloseEvent(0, "tomcat", "127.0.0.1:8443", 0, "127.0.0.1:5000", 0, CloseEvent.SERVER_IDLE,
                65001, 7, 70000, "h2");
        assertEquals("outlast: close server=tomcat local=127.0.0.1:8443 remote=127.0.0.1:5000 closer=server-idle"
                + " idle_ms=65001 requests=7 age_ms=70000 protocol=h2",
                new EventLog(Config.fromArguments(""), new StringWriter(), false).format(h2));
        assertTrue(new EventLog(Config.fromArguments("log.format=json"), new StringWriter(), false).format(h2)
                .endsWith("\"age_ms\":70000,\"protocol\":\"h2\"}"));
    }

    /** A client pool's connection names its family as client=, the remote its upstream; a request it failed, its gap. */
    @Test
    void aClientCloseNamesItsFamilyAndARaceItsGap() throws Exception {
        CloseEvent e = CloseEvent.ofClient(0, "reactor-netty", 0, "127.0.0.1:40000", 0, "10.0.0.5:8080",
                CloseEvent.PEER, 1950, 4, 9000, 1950);
        assertEquals("outlast: close client=reactor-netty local=127.0.0.1:40000 remote=10.0.0.5:8080 closer=peer"
                + " idle_ms=1950 requests=4 age_ms=9000 failed_after_idle_ms=1950",
                new EventLog(Config.fromArguments(""), new StringWriter(), false).format(e));
        assertTrue(new EventLog(Config.fromArguments("log.format=json"), new StringWriter(), false).format(e)
                .contains("\"event\":\"close\",\"client\":\"reactor-netty\""));
        assertTrue(e.serverInitiated(), "the upstream's close is a server's");
        assertFalse(CloseEvent.ofClient(0, "reactor-netty", 0, "a", 0, "b", CloseEvent.CLIENT_IDLE, 1, 1, 1, -1)
                .serverInitiated());
    }

    @Test
    void fileLinesAreStamped() throws Exception {
        EventLog log = new EventLog(Config.fromArguments(""), new StringWriter(), true);
        assertTrue(log.format(EVENT).startsWith("1970-01-01T00:00:00.000Z outlast: close server=jetty"));
    }

    @Test
    void jsonLines() throws Exception {
        EventLog log = new EventLog(Config.fromArguments("log.format=json"), new StringWriter(), false);
        assertEquals("{\"time\":\"1970-01-01T00:00:00.000Z\",\"event\":\"close\",\"server\":\"jetty\","
                + "\"local\":\"127.0.0.1:8080\",\"remote\":\"127.0.0.1:5000\",\"closer\":\"server-idle\","
                + "\"idle_ms\":65001,\"requests\":3,\"age_ms\":70000}", log.format(EVENT));
        String report = log.format(new EndpointReport("jetty", "12.0.30", "connector", "0.0.0.0:8080",
                30000, 65000, -1, 66000));
        assertTrue(report.contains("\"header_before_ms\":null,\"header_after_ms\":66000}"), report);
    }

    @Test
    void reportLine() throws Exception {
        EventLog log = new EventLog(Config.fromArguments(""), new StringWriter(), false);
        assertEquals("outlast: jetty 12.0.30 connector 0.0.0.0:8080 idle 30000ms -> 65000ms, header none -> 66000ms",
                log.format(new EndpointReport("jetty", "12.0.30", "connector", "0.0.0.0:8080", 30000, 65000, -1, 66000)));
    }

    @Test
    void peerClosesAreLeftOutWithServerOnly() throws Exception {
        StringWriter out = new StringWriter();
        EventLog log = new EventLog(Config.fromArguments("log.closes=server"), out, false);
        log.start();
        log.close(new CloseEvent(0, "jetty", "l", "r", CloseEvent.PEER, 0, 1, 1));
        log.close(EVENT);
        awaitContains(out, "closer=server-idle");
        assertTrue(!out.toString().contains("closer=peer"), out.toString());
    }

    /** A stuck output must not hold up the caller (a server thread): lines are dropped and counted. */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // blocking fails the test, never hangs it
    void aBlockedOutputDropsAndCountsInsteadOfBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        StringWriter sink = new StringWriter();
        Writer stuck = writer((buf, off, len) -> {
            await(release);
            sink.write(buf, off, len);
        }, () -> { });
        EventLog log = new EventLog(Config.fromArguments(""), stuck, false);
        log.start();
        int burst = EventLog.CAPACITY * 3;
        for (int i = 0; i < burst; i++) {
            log.close(EVENT); // returns although nothing can be written: this loop finishing is the test
        }
        release.countDown();
        awaitContains(sink, "log lines: the log output could not keep up");
        String text = sink.toString();
        long written = text.lines().filter(l -> l.contains("close server=")).count();
        long dropped = Long.parseLong(text.replaceAll("(?s).*dropped (\\d+) log lines.*", "$1"));
        assertTrue(dropped > 0);
        // the writer may still be draining the queue; what it has not written yet is neither written nor dropped
        assertTrue(written + dropped <= burst, written + " + " + dropped);
    }

    /** Asleep after a quiet spell, the log's thread is woken by the next line. */
    @Test
    void aLineAfterAQuietSpellWakesTheLog() throws Exception {
        StringWriter out = new StringWriter();
        EventLog log = new EventLog(Config.fromArguments(""), out, false);
        log.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!log.asleep()) {
            assertTrue(System.nanoTime() < end, "the log's thread never went to sleep");
            Thread.sleep(10);
        }
        // without the wake the line is never written: the thread sleeps on
        log.close(EVENT);
        awaitContains(out, "closer=server-idle");
        log.stop();
    }

    /** An address whose toString throws costs its own line, not the log's thread (which once died of it). */
    @Test
    void aLineThatCannotBeMadeCostsThatLineOnly() throws Exception {
        StringWriter out = new StringWriter();
        EventLog log = new EventLog(Config.fromArguments(""), out, false);
        log.start();
        Object bad = new Object() {
            @Override
            public String toString() {
                throw new OutOfMemoryError("simulated");
            }
        };
        log.close(new CloseEvent(0, "jetty", bad, "r", CloseEvent.PEER, 0, 1, 1));
        awaitContains(out, "the log failed formatting a line and goes on: java.lang.OutOfMemoryError: simulated");
        log.close(new CloseEvent(0, "jetty", bad, "r", CloseEvent.PEER, 0, 1, 1));
        log.close(EVENT);
        awaitContains(out, "closer=server-idle");
        log.stop();
        assertEquals(1, out.toString().split("the log failed", -1).length - 1, "said more than once: " + out);
    }

    /** An Error from the output itself does not end the log's thread either. */
    @Test
    void anErrorWhileWritingIsSaidAndTheLogGoesOn() throws Exception {
        StringWriter sink = new StringWriter();
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        Writer failingOnce = writer((buf, off, len) -> {
            if (writes.getAndIncrement() == 0) {
                throw new StackOverflowError("simulated");
            }
            sink.write(buf, off, len);
        }, () -> { });
        EventLog log = new EventLog(Config.fromArguments(""), failingOnce, false);
        log.start();
        log.info("first");
        awaitContains(sink, "the log failed writing the log and goes on: java.lang.StackOverflowError: simulated");
        log.close(EVENT);
        awaitContains(sink, "closer=server-idle");
        log.stop();
    }

    /** A full stderr pipe must not hold the JVM's exit: the last lines get a bounded time. */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theDrainAtExitIsBounded() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Writer stuck = writer((buf, off, len) -> await(never), () -> { });
        EventLog log = new EventLog(Config.fromArguments(""), stuck, false);
        log.close(EVENT);
        // returning at all is the test (the write blocks for good); false: the line was not written in time
        assertFalse(log.writeQueued(300));
        never.countDown();
    }

    @Test
    void stopClosesTheOutput() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        StringWriter sink = new StringWriter();
        Writer file = writer(sink::write, () -> closed.set(true));
        EventLog log = new EventLog(Config.fromArguments(""), file, true);
        log.start();
        log.close(EVENT);
        log.stop();
        assertTrue(closed.get(), "a reset left the log's file open");
        assertTrue(sink.toString().contains("closer=server-idle"), sink.toString());
    }

    /** The log's thread, made wherever the agent starts, takes neither loader nor thread-locals from there. */
    @Test
    void theLogsThreadTakesNothingFromItsMaker() throws Exception {
        InheritableThreadLocal<String> inherited = new InheritableThreadLocal<>();
        ClassLoader webapp = new java.net.URLClassLoader(new java.net.URL[0]);
        java.util.concurrent.atomic.AtomicReference<Object[]> seen = new java.util.concurrent.atomic.AtomicReference<>();
        Thread maker = new Thread(() -> {
            inherited.set("request-scoped");
            Thread t = AgentThreads.daemon(() -> seen.set(new Object[] {
                    Thread.currentThread().getContextClassLoader(), inherited.get()}), "outlast-test");
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        maker.setContextClassLoader(webapp);
        maker.start();
        maker.join();
        assertEquals(null, seen.get()[0], "the context class loader was inherited");
        assertEquals(null, seen.get()[1], "an inheritable thread-local was inherited");
    }

    private interface Write {
        void write(char[] buf, int off, int len);
    }

    /** An output that does what the test says on each write and on close. */
    private static Writer writer(Write onWrite, Runnable onClose) {
        return new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                onWrite.write(buf, off, len);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitContains(StringWriter out, String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!out.toString().contains(text)) {
            assertTrue(System.nanoTime() < end, "no '" + text + "' in: " + out);
            Thread.sleep(10);
        }
    }
}
