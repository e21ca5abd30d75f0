package io.outlast.agent;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A zip archive stored uncompressed as one entry of the agent jar, read in place. The agent's classes live in
 * two of these rather than as entries of the jar itself: the application's class loader opens the jar on the
 * main thread to load the premain class, and with its 3,300 entries that opening cost some 7 ms of every
 * start (measured). Now the jar has a handful, and the agent's own thread indexes the nested archives, the
 * larger (Byte Buddy) only once it is needed.
 */
final class NestedArchive {
    private static final int END = 0x06054b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;

    /**
     * Shared by the archives of one jar, and their lock: java.io's file, which the JDK's own zip reading has
     * loaded already (a FileChannel's first use loads NIO's classes and native libraries: with an inflater
     * per entry, that draft cost the agent's thread some 15 ms more at start, measured).
     */
    private final RandomAccessFile file;
    private final Inflater inflater = new Inflater(true);
    /** name -> {offset of its local header in the file, compressed size, size, method} */
    private final Map<String, long[]> entries;

    private NestedArchive(RandomAccessFile file, Map<String, long[]> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** The archive stored as {@code entryName} in the jar {@code file} (kept open for the JVM's life, as a class path jar is). */
    static NestedArchive open(RandomAccessFile file, String entryName) throws IOException {
        synchronized (file) {
            long[] outer = index(file, 0, file.length()).get(entryName);
            if (outer == null || outer[3] != STORED) {
                throw new IOException("the agent jar lacks a stored " + entryName);
            }
            return new NestedArchive(file, index(file, dataStart(file, outer[0]), outer[1]));
        }
    }

    boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The entry's bytes, or null if there is none. */
    byte[] read(String name) throws IOException {
        long[] e = entries.get(name);
        if (e == null) {
            return null;
        }
        if (e[3] != STORED && e[3] != DEFLATED) {
            throw new IOException("unsupported compression " + e[3] + " of " + name);
        }
        byte[] stored = new byte[(int) e[1]];
        synchronized (file) {
            file.seek(dataStart(file, e[0]));
            file.readFully(stored);
            if (e[3] == STORED) {
                return stored;
            }
            try {
                inflater.reset();
                inflater.setInput(stored);
                byte[] out = new byte[(int) e[2]];
                int n = 0;
                while (n < out.length) {
                    int got = inflater.inflate(out, n, out.length - n);
                    if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                        throw new IOException("truncated entry " + name);
                    }
                    n += got;
                }
                return out;
            } catch (DataFormatException ex) {
                throw new IOException("corrupt entry " + name, ex);
            }
        }
    }

    /** The central directory of the zip archive at [start, start + length) of the file. */
    private static Map<String, long[]> index(RandomAccessFile file, long start, long length) throws IOException {
        // the end record is last, after a comment of at most 64 KiB
        int tail = (int) Math.min(length, 22 + 0xffff);
        byte[] end = new byte[tail];
        file.seek(start + length - tail);
        file.readFully(end);
        int at = tail - 22;
        while (at >= 0 && int32(end, at) != END) {
            at--;
        }
        if (at < 0) {
            throw new IOException("not a zip archive");
        }
        int count = int16(end, at + 10);
        byte[] cen = new byte[int32(end, at + 12)];
        file.seek(start + (int32(end, at + 16) & 0xffffffffL));
        file.readFully(cen);
        Map<String, long[]> entries = new HashMap<>(count * 4 / 3 + 1);
        int p = 0;
        for (int i = 0; i < count; i++) {
            if (int32(cen, p) != CENTRAL) {
                throw new IOException("corrupt central directory");
            }
            int nameLength = int16(cen, p + 28);
            String name = new String(cen, p + 46, nameLength, StandardCharsets.UTF_8);
            entries.put(name, new long[] {start + (int32(cen, p + 42) & 0xffffffffL), int32(cen, p + 20) & 0xffffffffL,
                    int32(cen, p + 24) & 0xffffffffL, int16(cen, p + 10)});
            p += 46 + nameLength + int16(cen, p + 30) + int16(cen, p + 32);
        }
        return entries;
    }

    /** Where an entry's data begins: after its local header, whose extra field may differ from the central one. */
    private static long dataStart(RandomAccessFile file, long localHeader) throws IOException {
        byte[] h = new byte[30];
        file.seek(localHeader);
        file.readFully(h);
        if (int32(h, 0) != LOCAL) {
            throw new IOException("corrupt local header");
        }
        return localHeader + 30 + int16(h, 26) + int16(h, 28);
    }

    private static int int16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static int int32(byte[] b, int at) {
        return int16(b, at) | int16(b, at + 2) << 16;
    }
}
