package io.outlast.core.install;

import io.outlast.family.JavaModules;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Defines the bootstrap API ({@code io.outlast.bootstrap.*}) in the bootstrap class loader, where advice
 * inlined into any loader's classes can reach it. Must not refer to those classes itself: it runs first.
 *
 * <p>Not by putting a jar on the bootstrap search path, the usual way: a jar there makes its
 * {@code META-INF/MANIFEST.MF} the first one every class loader finds, shadowing the application's own, and
 * appending one while the JVM runs turns off class data sharing for the application (with a JVM warning).
 * The classes are defined directly instead, with the JDK's internal {@code Unsafe.defineClass}; its package
 * is exported to the agent's own class loader only. Should that fail, a temporary jar holding only these
 * classes is appended.
 */
public final class BootstrapInjector {
    private static final String PACKAGE = "io.outlast.bootstrap.";
    private static final String PREFIX = "io/outlast/bootstrap/";

    private BootstrapInjector() {
    }

    /** Called reflectively by the launcher, before anything that uses the bootstrap API is loaded. */
    public static void inject(Instrumentation inst) throws Exception {
        Map<String, byte[]> classes = read(BootstrapInjector.class.getClassLoader());
        try {
            define(inst, classes);
        } catch (Exception | LinkageError e) {
            appendJar(inst, classes);
        }
        initialize(classes.keySet());
    }

    /**
     * Each class initialized now, on the agent's thread. Left to its first use, two virtual threads closing their
     * first connections at once race to initialize one, and the loser waits for the class's initialization
     * with its carrier pinned (JFR showed it: CloseEvent, 3 ms on Tomcat's virtual threads).
     */
    private static void initialize(Iterable<String> names) {
        for (String name : names) {
            try {
                Class.forName(name, true, null);
            } catch (ClassNotFoundException | LinkageError e) {
                // defined or not, the advice finds out at its first call; nothing here to harm
            }
        }
    }

    /** From the agent's loader, which reads them where it reads its own (the classes no other loader may define). */
    private static Map<String, byte[]> read(ClassLoader agent) throws IOException {
        Map<String, byte[]> classes = new HashMap<>();
        // only the classes the build listed: a loader cannot list a package
        for (String simpleName : new String(resource(agent, PREFIX + "classes.list"), StandardCharsets.UTF_8).split("\\R")) {
            if (!simpleName.trim().isEmpty()) {
                classes.put(PACKAGE + simpleName.trim(), resource(agent, PREFIX + simpleName.trim() + ".class"));
            }
        }
        return classes;
    }

    private static byte[] resource(ClassLoader agent, String name) throws IOException {
        try (InputStream in = agent.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("the agent jar lacks " + name);
            }
            return bytes(in);
        }
    }

    private static void define(Instrumentation inst, Map<String, byte[]> classes) throws Exception {
        Object unsafe;
        Method defineClass;
        try {
            Class<?> internal = Class.forName("jdk.internal.misc.Unsafe");
            JavaModules.exportToAgent(inst, internal, "jdk.internal.misc");
            unsafe = internal.getMethod("getUnsafe").invoke(null);
            defineClass = internal.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                    ClassLoader.class, java.security.ProtectionDomain.class);
        } catch (ClassNotFoundException java8) {
            Class<?> legacy = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = legacy.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            unsafe = theUnsafe.get(null);
            defineClass = legacy.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                    ClassLoader.class, java.security.ProtectionDomain.class);
        }
        // a class before its nested classes (X before X$1), which extend it; a subclass whose name sorts before its
        // superclass's (ClientConnectionState) fails to resolve it and is defined in the next pass
        List<String> pending = new ArrayList<>(classes.keySet());
        Collections.sort(pending);
        while (!pending.isEmpty()) {
            List<String> later = new ArrayList<>();
            for (String name : pending) {
                byte[] b = classes.get(name);
                try {
                    defineClass.invoke(unsafe, name, b, 0, b.length, null, null);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    if (!(e.getCause() instanceof NoClassDefFoundError)) {
                        throw e;
                    }
                    later.add(name);
                }
            }
            if (later.size() == pending.size()) {
                throw new IllegalStateException("cannot define " + later);
            }
            pending = later;
        }
    }

    private static void appendJar(Instrumentation inst, Map<String, byte[]> classes) throws IOException {
        File jar = File.createTempFile("outlast-bootstrap", ".jar");
        jar.deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(new java.io.FileOutputStream(jar))) {
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                out.putNextEntry(new JarEntry(c.getKey().replace('.', '/') + ".class"));
                out.write(c.getValue());
                out.closeEntry();
            }
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
    }

    private static byte[] bytes(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
