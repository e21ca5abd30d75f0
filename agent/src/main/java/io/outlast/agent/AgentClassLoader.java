package io.outlast.agent;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** Defines the agent's classes from {@code inst/} in the agent jar, where only this loader looks. */
final class AgentClassLoader extends ClassLoader {
    private static final String PREFIX = "inst/";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String jarUrl;

    AgentClassLoader(JarFile jar, ClassLoader parent) throws MalformedURLException {
        super(parent);
        this.jar = jar;
        this.jarUrl = new File(jar.getName()).toURI().toURL().toString();
    }

    /**
     * The platform loader on Java 9+ (so jdk.* modules resolve), the extension loader on Java 8: the last
     * loader before the bootstrap loader, up from the system loader. Not through a reflective call of
     * {@code getPlatformClassLoader()}: reflecting on that caller-sensitive method costs some 10 ms at start.
     */
    static ClassLoader platformLoader() {
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        while (loader != null && loader.getParent() != null) {
            loader = loader.getParent();
        }
        return loader;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (name.startsWith("io.outlast.bootstrap.")) {
            // one copy only, the bootstrap loader's, which every loader's advice reaches
            throw new ClassNotFoundException(name);
        }
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            bytes = out.toByteArray();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    @Override
    protected URL findResource(String name) {
        String entry = PREFIX + (name.endsWith(".class")
                ? name.substring(0, name.length() - ".class".length()) + ".classdata" : name);
        if (jar.getJarEntry(entry) == null) {
            return null;
        }
        try {
            return new URL("jar:" + jarUrl + "!/" + entry);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.<URL>emptyEnumeration() : Collections.enumeration(Collections.singleton(url));
    }
}
