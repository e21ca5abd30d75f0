package io.outlast.core;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Where the log writes ({@code log=}): a file, appended to, or the JVM's stderr or stdout. */
final class LogTarget {
    /** {@code log=app}: the application's own SLF4J, where the closing thread's class loader has it. */
    static final String APP = "app";

    private LogTarget() {
    }

    static Writer open(String log) throws IOException {
        OutputStream target;
        if ("stderr".equals(log) || APP.equals(log)) {
            target = new Unclosed(System.err);
        } else if ("stdout".equals(log)) {
            target = new Unclosed(System.out);
        } else {
            target = new FileOutputStream(log, true);
        }
        return new OutputStreamWriter(target, StandardCharsets.UTF_8);
    }

    /** System.err and System.out belong to the application: flush them, never close them. */
    private static final class Unclosed extends OutputStream {
        private final PrintStream target;

        Unclosed(PrintStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            target.write(b, off, len);
        }

        @Override
        public void flush() {
            target.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
