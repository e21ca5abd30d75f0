package io.outlast.agent;

import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
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

    private final FileChannel file;
    /** name -> {offset of its local header in the file, compressed size, size, method} */
    private final Map<String, long[]> entries;

    private NestedArchive(FileChannel file, Map<String, long[]> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** The archive stored as {@code entryName} in the jar {@code file} (kept open for the JVM's life, as a class path jar is). */
    static NestedArchive open(FileChannel file, String entryName) throws IOException {
        long[] outer = index(file, 0, file.size()).get(entryName);
        if (outer == null || outer[3] != STORED) {
            throw new IOException("the agent jar lacks a stored " + entryName);
        }
        return new NestedArchive(file, index(file, dataStart(file, outer[0]), outer[1]));
    }

    static FileChannel channel(File jar) throws IOException {
        return FileChannel.open(jar.toPath(), StandardOpenOption.READ);
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
        byte[] stored = new byte[(int) e[1]];
        readFully(file, ByteBuffer.wrap(stored), dataStart(file, e[0]));
        if (e[3] == STORED) {
            return stored;
        }
        if (e[3] != DEFLATED) {
            throw new IOException("unsupported compression " + e[3] + " of " + name);
        }
        Inflater inflater = new Inflater(true);
        try {
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
        } finally {
            inflater.end();
        }
    }

    /** The central directory of the zip archive at [start, start + length) of the file. */
    private static Map<String, long[]> index(FileChannel file, long start, long length) throws IOException {
        // the end record is last, after a comment of at most 64 KiB
        int tail = (int) Math.min(length, 22 + 0xffff);
        ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, end, start + length - tail);
        int at = tail - 22;
        while (at >= 0 && end.getInt(at) != END) {
            at--;
        }
        if (at < 0) {
            throw new IOException("not a zip archive");
        }
        int count = end.getShort(at + 10) & 0xffff;
        long size = end.getInt(at + 12) & 0xffffffffL;
        long offset = end.getInt(at + 16) & 0xffffffffL;
        ByteBuffer cen = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, cen, start + offset);
        Map<String, long[]> entries = new HashMap<>(count * 4 / 3 + 1);
        int p = 0;
        for (int i = 0; i < count; i++) {
            if (cen.getInt(p) != CENTRAL) {
                throw new IOException("corrupt central directory");
            }
            int nameLength = cen.getShort(p + 28) & 0xffff;
            int extraLength = cen.getShort(p + 30) & 0xffff;
            int commentLength = cen.getShort(p + 32) & 0xffff;
            String name = new String(cen.array(), p + 46, nameLength, StandardCharsets.UTF_8);
            entries.put(name, new long[] {start + (cen.getInt(p + 42) & 0xffffffffL), cen.getInt(p + 20) & 0xffffffffL,
                    cen.getInt(p + 24) & 0xffffffffL, cen.getShort(p + 10) & 0xffff});
            p += 46 + nameLength + extraLength + commentLength;
        }
        return entries;
    }

    /** Where an entry's data begins: after its local header, whose extra field may differ from the central one. */
    private static long dataStart(FileChannel file, long localHeader) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, h, localHeader);
        if (h.getInt(0) != LOCAL) {
            throw new IOException("corrupt local header");
        }
        return localHeader + 30 + (h.getShort(26) & 0xffff) + (h.getShort(28) & 0xffff);
    }

    private static void readFully(FileChannel file, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int n = file.read(into, position);
            if (n < 0) {
                throw new EOFException();
            }
            position += n;
        }
    }
}
