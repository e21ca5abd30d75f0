package io.outlast.core;

import io.outlast.bootstrap.CloseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.StringWriter;
import java.io.Writer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        Writer stuck = new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sink.write(buf, off, len);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
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

    private static void awaitContains(StringWriter out, String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!out.toString().contains(text)) {
            assertTrue(System.nanoTime() < end, "no '" + text + "' in: " + out);
            Thread.sleep(10);
        }
    }
}
