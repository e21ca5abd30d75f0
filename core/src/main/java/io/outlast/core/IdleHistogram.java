package io.outlast.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of idle times at close, lock-free (recorded on server threads): below 16 ms one bucket per ms,
 * above it eight buckets per power of two, so a percentile is within an eighth of its value.
 */
final class IdleHistogram {
    private static final int SUB = 8;
    private static final int LINEAR = 16;
    private static final int BUCKETS = LINEAR + (63 - 4) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long ms) {
        counts.incrementAndGet(bucket(Math.max(0, ms)));
    }

    static int bucket(long ms) {
        if (ms < LINEAR) {
            return (int) ms;
        }
        int exp = 63 - Long.numberOfLeadingZeros(ms);
        int sub = (int) ((ms >>> (exp - 3)) & (SUB - 1));
        return LINEAR + (exp - 4) * SUB + sub;
    }

    /** The highest value a bucket holds. */
    static long upper(int bucket) {
        if (bucket < LINEAR) {
            return bucket;
        }
        int exp = (bucket - LINEAR) / SUB + 4;
        int sub = (bucket - LINEAR) % SUB;
        long low = (1L << exp) + ((long) sub << (exp - 3));
        return low + (1L << (exp - 3)) - 1;
    }

    long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The value at or below which {@code fraction} of the recorded values lie (a bucket's upper bound), -1 if none. */
    long percentile(double fraction) {
        long total = count();
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= Math.max(1, rank)) {
                return upper(i);
            }
        }
        return upper(BUCKETS - 1);
    }
}
