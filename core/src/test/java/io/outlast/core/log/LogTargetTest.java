package io.outlast.core.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTargetTest {
    @TempDir
    Path dir;

    @Test
    void aNewFileIsReadableByItsGroupOnly() throws IOException {
        Path log = dir.resolve("outlast.log");
        try (Writer w = LogTarget.open(log.toString())) {
            w.write("one\n");
        }
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
    }

    @Test
    void anExistingFileIsAppendedTo() throws IOException {
        Path log = dir.resolve("outlast.log");
        Files.write(log, "before\n".getBytes(StandardCharsets.UTF_8));
        try (Writer w = LogTarget.open(log.toString())) {
            w.write("after\n");
        }
        assertEquals("before\nafter\n", new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
    }

    @Test
    void aSymbolicLinkAtThePathIsNotFollowed() throws IOException {
        Path victim = dir.resolve("victim");
        Files.write(victim, "untouched\n".getBytes(StandardCharsets.UTF_8));
        Path link = Files.createSymbolicLink(dir.resolve("outlast.log"), victim);
        IOException e = assertThrows(IOException.class, () -> LogTarget.open(link.toString()));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        try (OutputStream ignored = Files.newOutputStream(dir.resolve("other"))) {
            // the directory stays usable
        }
        assertEquals("untouched\n", new String(Files.readAllBytes(victim), StandardCharsets.UTF_8));
    }
}
