package io.outlast.core.stats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of idle times at close, lock-free (recorded on server threads): below 64 ms one bucket per ms,
 * above it 64 buckets per power of two. A percentile is the upper bound of its bucket, so it is at most
 * 1/64 (1.6%) above the true value, about a second at 65 s, and never above the largest value recorded.
 */
final class IdleHistogram {
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    /** Values from 2^41 ms (70 years) on share the last bucket. */
    private static final int TOP_EXP = 40;
    private static final int BUCKETS = SUB + (TOP_EXP + 1 - SUB_BITS) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong max = new AtomicLong(-1);

    void record(long ms) {
        long v = Math.max(0, ms);
        counts.incrementAndGet(bucket(v));
        long m;
        while ((m = max.get()) < v && !max.compareAndSet(m, v)) {
            // retry
        }
    }

    static int bucket(long ms) {
        if (ms < SUB) {
            return (int) ms;
        }
        if (ms >= 1L << (TOP_EXP + 1)) {
            return BUCKETS - 1;
        }
        int exp = 63 - Long.numberOfLeadingZeros(ms);
        int sub = (int) ((ms >>> (exp - SUB_BITS)) & (SUB - 1));
        return SUB + (exp - SUB_BITS) * SUB + sub;
    }

    /** The highest value a bucket holds. */
    static long upper(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        if (bucket == BUCKETS - 1) {
            return Long.MAX_VALUE;
        }
        int exp = (bucket - SUB) / SUB + SUB_BITS;
        int sub = (bucket - SUB) % SUB;
        long low = (1L << exp) + ((long) sub << (exp - SUB_BITS));
        return low + (1L << (exp - SUB_BITS)) - 1;
    }

    long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The largest value recorded, -1 if none. */
    long max() {
        return max.get();
    }

    /**
     * The value at or below which {@code fraction} of the recorded values lie: its bucket's upper bound,
     * capped at the largest value recorded; -1 if none.
     */
    long percentile(double fraction) {
        long total = count();
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        long cap = Math.max(0, max.get());
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= Math.max(1, rank)) {
                return Math.min(upper(i), cap);
            }
        }
        return cap;
    }
}
