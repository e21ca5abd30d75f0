package io.outlast.agent;

import io.outlast.family.InstrumentationModule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A family uses the family API and the bootstrap API, nothing else of the agent: no class of a family refers
 * to the agent's core. Each family's Maven module depends on the API alone, so its compile fails first; this
 * is what holds if a family's build ever gains a dependency on the core.
 */
class FamilyBoundaryTest {
    private static final String CORE = "io/outlast/core/";

    @Test
    void noFamilyReachesPastTheFamilyApi() throws Exception {
        List<String> families = new ArrayList<>();
        List<String> offending = new ArrayList<>();
        for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class)) {
            families.add(module.family());
            Path location = Paths.get(module.getClass().getProtectionDomain().getCodeSource().getLocation().toURI());
            // the family's classes: its module's directory in a reactor build, its jar otherwise
            try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location, (ClassLoader) null)) {
                Path classes = jar == null ? location : jar.getPath("/");
                int read = 0;
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                        read++;
                        if (refersToCore(f)) {
                            offending.add(module.family() + ": " + classes.relativize(f));
                        }
                    }
                }
                assertTrue(read > 3, module.family() + ": its classes were not found at " + location);
            }
        }
        assertEquals(17, families.size(), "all seventeen families (eleven of servers, six of clients) found: " + families);
        assertTrue(offending.isEmpty(), "classes of a family that refer to the agent's core: " + offending);
    }

    /** A class's constant pool names every class it refers to, in internal form. */
    private static boolean refersToCore(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains(CORE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
