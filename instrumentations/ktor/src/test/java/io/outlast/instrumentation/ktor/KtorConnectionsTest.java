package io.outlast.instrumentation.ktor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Kotlin's Duration as the JVM passes it: a raw long, nanoseconds shifted left by one, or millis with the low bit. */
class KtorConnectionsTest {
    @Test
    void aDurationInNanosecondsReadsAndWritesAsKotlinsOwn() {
        // 45.seconds, as kotlin.time.Duration stores it
        assertEquals(45_000_000_000L << 1, KtorConnections.raw(45_000));
        assertEquals(45_000, KtorConnections.millis(45_000_000_000L << 1));
        assertEquals(2_000, KtorConnections.millis(KtorConnections.raw(2_000)));
    }

    @Test
    void aDurationTooLongForNanosecondsIsKeptInMilliseconds() {
        long years = 200L * 365 * 24 * 3600 * 1000;
        assertEquals((years << 1) | 1, KtorConnections.raw(years));
        assertEquals(years, KtorConnections.millis(KtorConnections.raw(years)));
    }
}
