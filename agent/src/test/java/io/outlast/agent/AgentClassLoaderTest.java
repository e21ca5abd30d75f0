package io.outlast.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The loader reads classes and resources from the archives nested, stored, in a jar built as the agent's is. */
class AgentClassLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsClassesAndResourcesFromBothNestedArchives() throws Exception {
        byte[] own = zip(false, "io/outlast/core/own.txt", "own, deflated".getBytes(StandardCharsets.UTF_8),
                "META-INF/services/x.Y", "x.Z\n".getBytes(StandardCharsets.UTF_8));
        String helloEntry = Hello.class.getName().replace('.', '/') + ".class";
        byte[] hello = bytes(AgentClassLoaderTest.class.getClassLoader().getResourceAsStream(helloEntry));
        byte[] libs = zip(false, helloEntry, hello);
        File jar = dir.resolve("agent.jar").toFile();
        try (FileOutputStream out = new FileOutputStream(jar)) {
            out.write(zip(true, "io/outlast/agent/OutlastAgent.class", new byte[] {1, 2},
                    AgentClassLoader.OWN, own, AgentClassLoader.LIBS, libs));
        }
        AgentClassLoader loader = new AgentClassLoader(jar, AgentClassLoader.platformLoader());

        assertEquals("own, deflated", text(loader.getResourceAsStream("io/outlast/core/own.txt")));
        URL service = loader.getResource("META-INF/services/x.Y");
        assertEquals("x.Z\n", text(service.openStream()));
        assertEquals(1, Collections.list(loader.getResources("META-INF/services/x.Y")).size());
        assertArrayEquals(hello, bytes(loader.getResourceAsStream(helloEntry)));
        Class<?> defined = loader.loadClass(Hello.class.getName());
        assertEquals(loader, defined.getClassLoader());
        assertNull(loader.getResource("io/outlast/core/none.txt"));
        assertNull(loader.getResourceAsStream("none"));
        // a JDK class comes from the platform loader, not from the archives
        assertEquals(String.class, loader.loadClass("java.lang.String"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("io.outlast.core.Missing"));
        // the bootstrap API is the bootstrap loader's alone
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("io.outlast.bootstrap.EventSink"));
    }

    @Test
    void aJarWithoutTheNestedArchiveIsRefused() throws Exception {
        File jar = dir.resolve("plain.jar").toFile();
        try (FileOutputStream out = new FileOutputStream(jar)) {
            out.write(zip(false, "inst/outlast.jar", new byte[] {1}));
        }
        // deflated, not stored: it cannot be read in place
        IOException e = assertThrows(IOException.class, () -> new AgentClassLoader(jar, null));
        assertEquals("the agent jar lacks a stored inst/outlast.jar", e.getMessage());
    }

    public static final class Hello {
    }

    private static byte[] zip(boolean stored, Object... nameAndBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (int i = 0; i < nameAndBytes.length; i += 2) {
                byte[] data = (byte[]) nameAndBytes[i + 1];
                ZipEntry e = new ZipEntry((String) nameAndBytes[i]);
                if (stored) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(data.length);
                    e.setCompressedSize(data.length);
                    e.setCrc(crc.getValue());
                }
                out.putNextEntry(e);
                out.write(data);
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String text(InputStream in) throws IOException {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(InputStream in) throws IOException {
        try (InputStream i = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = i.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
