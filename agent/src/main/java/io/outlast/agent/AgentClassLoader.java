package io.outlast.agent;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Defines the agent's classes from the archives nested in the agent jar ({@link NestedArchive}), where only
 * this loader looks: the agent's own ({@code inst/outlast.jar}) and, read only once a class is not found
 * there, the libraries it relocated ({@code inst/libs.jar}: Byte Buddy, ASM), which are needed only when the
 * agent instruments, after the application's start.
 */
final class AgentClassLoader extends ClassLoader {
    static final String OWN = "inst/outlast.jar";
    static final String LIBS = "inst/libs.jar";
    private static final String PROTOCOL = "outlast-inst";

    static {
        registerAsParallelCapable();
    }

    private final RandomAccessFile jar;
    private final NestedArchive own;
    private volatile NestedArchive libs;
    private final URLStreamHandler handler = new URLStreamHandler() {
        @Override
        protected URLConnection openConnection(URL url) throws IOException {
            final byte[] bytes = bytes(url.getPath().substring(1));
            if (bytes == null) {
                throw new IOException("no " + url);
            }
            return new URLConnection(url) {
                @Override
                public void connect() {
                }

                @Override
                public InputStream getInputStream() {
                    return new ByteArrayInputStream(bytes);
                }
            };
        }
    };

    AgentClassLoader(File jar, ClassLoader parent) throws IOException {
        super(parent);
        this.jar = new RandomAccessFile(jar, "r");
        this.own = NestedArchive.open(this.jar, OWN);
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
        byte[] bytes;
        try {
            bytes = bytes(name.replace('.', '/') + ".class");
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    @Override
    protected URL findResource(String name) {
        try {
            return archive(name) == null ? null : new URL(PROTOCOL, "", -1, "/" + name, handler);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.<URL>emptyEnumeration() : Collections.enumeration(Collections.singleton(url));
    }

    /** Without a URL in between: how Byte Buddy reads the advice classes. */
    @Override
    public InputStream getResourceAsStream(String name) {
        InputStream parents = getParent() == null ? null : getParent().getResourceAsStream(name);
        if (parents != null) {
            return parents;
        }
        try {
            byte[] bytes = bytes(name);
            return bytes == null ? null : new ByteArrayInputStream(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private byte[] bytes(String name) throws IOException {
        NestedArchive a = archive(name);
        return a == null ? null : a.read(name);
    }

    private NestedArchive archive(String name) throws IOException {
        if (own.contains(name)) {
            return own;
        }
        NestedArchive l = libs;
        if (l == null) {
            synchronized (this) {
                l = libs;
                if (l == null) {
                    libs = l = NestedArchive.open(jar, LIBS);
                }
            }
        }
        return l.contains(name) ? l : null;
    }
}
