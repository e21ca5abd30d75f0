package io.outlast.core.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JVM's own class loading counters, read from its performance data, agree with its management bean. */
class LoadedClassCounterTest {
    @Test
    @EnabledOnOs(OS.LINUX)
    void countsWhatTheJvmCounts() throws Exception {
        try (LoadedClassCounter counter = LoadedClassCounter.open()) {
            assertNotNull(counter, "this JVM's performance data (/tmp/hsperfdata_<user>/<pid>)");
            long before = counter.loaded();
            long bean = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
            long after = counter.loaded();
            // the bean's first use loads classes of its own: the count lies between the two reads
            assertTrue(before <= bean && bean <= after, before + " <= " + bean + " <= " + after);
            new Object() { }.getClass().getName();
            assertTrue(counter.loaded() > after, "a new class counted");
        }
    }

    @Test
    void aFileThatIsNotPerformanceDataIsRefused(@TempDir Path dir) throws IOException {
        File f = dir.resolve("123").toFile();
        Files.write(f.toPath(), new byte[64]);
        IOException e = assertThrows(IOException.class, () -> LoadedClassCounter.open(f));
        assertEquals("not performance data", e.getMessage());
    }
}
