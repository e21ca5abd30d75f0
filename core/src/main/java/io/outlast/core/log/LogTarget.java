package io.outlast.core.log;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Where the log writes ({@code log=}): a file, appended to, or the process's standard error or output. Those are
 * the file descriptors themselves, not {@code System.err}/{@code System.out}: an application server may replace
 * those with its logger (WildFly logs each line printed there as an ERROR of its own, prefixed), where the lines
 * would no longer be outlast's. {@code log=app} is for the application's logging.
 */
public final class LogTarget {
    /** {@code log=app}: the application's own SLF4J, where the closing thread's class loader has it. */
    static final String APP = "app";

    private LogTarget() {
    }

    public static Writer open(String log) throws IOException {
        OutputStream target;
        if ("stderr".equals(log) || APP.equals(log)) {
            target = new Unclosed(new FileOutputStream(FileDescriptor.err));
        } else if ("stdout".equals(log)) {
            target = new Unclosed(new FileOutputStream(FileDescriptor.out));
        } else {
            target = file(Paths.get(log));
        }
        return new OutputStreamWriter(target, StandardCharsets.UTF_8);
    }

    /** One line on the process's standard error (see above), where a line outside the log goes. */
    public static void stderrLine(String line) {
        try {
            Writer w = open("stderr");
            w.write(line + System.lineSeparator());
            w.flush();
        } catch (IOException e) {
            // no stderr: nowhere left to say it
        }
    }

    /**
     * Appended to; never through a symbolic link at the path (the agent may run as a service's user in a
     * directory others can write), and created readable by the owner's group only (0640), since close
     * events name clients' addresses.
     */
    static OutputStream file(Path path) throws IOException {
        Set<OpenOption> options = new HashSet<>(Arrays.asList(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        if (Files.isSymbolicLink(path)) {
            throw new IOException(path + " is a symbolic link; give the file's own path");
        }
        SeekableByteChannel channel;
        try {
            channel = Files.newByteChannel(path, options,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        } catch (UnsupportedOperationException notPosix) {
            channel = Files.newByteChannel(path, options);
        }
        return Channels.newOutputStream(channel);
    }

    /** The process's standard error and output outlive the log: never closed. */
    private static final class Unclosed extends OutputStream {
        private final OutputStream target;

        Unclosed(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
