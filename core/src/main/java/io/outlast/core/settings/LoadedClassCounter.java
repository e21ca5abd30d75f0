package io.outlast.core.settings;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;

/**
 * How many classes this JVM has loaded, read from its own performance data ({@code hsperfdata}, the file
 * behind jstat): two counters, the classes loaded from the class data sharing archive and the others. A read
 * is two 8-byte reads of a file the JVM keeps in memory, where listing the loaded classes to count them costs
 * 0.5-2.7 ms on a Spring Boot start. {@link #open()} is null where there is no such file (a JVM run with
 * {@code -XX:-UsePerfData} or {@code -XX:+PerfDisableSharedMem}, not HotSpot, not Linux): then the classes
 * are listed.
 */
final class LoadedClassCounter implements AutoCloseable {
    private static final int MAGIC = 0xcafec0c0;
    private static final String[] COUNTERS = {"java.cls.loadedClasses", "java.cls.sharedLoadedClasses"};

    private final RandomAccessFile file;
    private final boolean littleEndian;
    private final long[] offsets;

    private LoadedClassCounter(RandomAccessFile file, boolean littleEndian, long[] offsets) {
        this.file = file;
        this.littleEndian = littleEndian;
        this.offsets = offsets;
    }

    /** This JVM's counter, or null. */
    static LoadedClassCounter open() {
        try {
            String pid = new File("/proc/self").getCanonicalFile().getName();
            // HotSpot writes it under /tmp whatever java.io.tmpdir says, named after the process's user
            File dir = new File("/tmp/hsperfdata_" + System.getProperty("user.name"));
            File data = new File(dir, pid);
            return data.isFile() ? open(data) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static LoadedClassCounter open(File data) throws IOException {
        RandomAccessFile file = new RandomAccessFile(data, "r");
        try {
            byte[] all = new byte[(int) Math.min(file.length(), 1 << 20)];
            file.readFully(all);
            if (int32(all, 0, false) != MAGIC) {
                throw new IOException("not performance data");
            }
            boolean little = all[4] == 1;
            int entry = int32(all, 24, little);
            int entries = int32(all, 28, little);
            long[] offsets = new long[COUNTERS.length];
            for (int i = 0; i < entries && entry > 0 && entry + 20 <= all.length; i++) {
                int length = int32(all, entry, little);
                int nameAt = entry + int32(all, entry + 4, little);
                int end = nameAt;
                while (end < all.length && all[end] != 0) {
                    end++;
                }
                String name = new String(all, nameAt, end - nameAt, StandardCharsets.US_ASCII);
                for (int c = 0; c < COUNTERS.length; c++) {
                    if (COUNTERS[c].equals(name) && all[entry + 12] == 'J') {
                        offsets[c] = entry + int32(all, entry + 16, little);
                    }
                }
                if (length <= 0) {
                    break;
                }
                entry += length;
            }
            for (long offset : offsets) {
                if (offset == 0) {
                    throw new IOException("no class loading counters");
                }
            }
            return new LoadedClassCounter(file, little, offsets);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e instanceof IOException ? (IOException) e : new IOException(e);
        }
    }

    /** Classes loaded so far (not less unloaded ones: a count that only grows). */
    long loaded() throws IOException {
        long sum = 0;
        byte[] b = new byte[8];
        for (long offset : offsets) {
            file.seek(offset);
            file.readFully(b);
            sum += littleEndian ? (int32(b, 0, true) & 0xffffffffL) | (long) int32(b, 4, true) << 32
                    : (long) int32(b, 0, false) << 32 | (int32(b, 4, false) & 0xffffffffL);
        }
        return sum;
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // read-only: nothing lost
        }
    }

    private static int int32(byte[] b, int at, boolean little) {
        if (little) {
            return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
        }
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
