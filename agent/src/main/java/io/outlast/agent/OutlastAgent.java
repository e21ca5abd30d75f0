package io.outlast.agent;

import java.io.File;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.net.URI;
import java.util.jar.JarFile;

/**
 * The agent jar's entry points. The only agent class an application can see besides the bootstrap API:
 * everything else is stored in the jar as {@code inst/**.classdata}, which no ordinary class loader
 * will load, and is defined by the agent's own {@link AgentClassLoader}.
 *
 * <p>Must not touch {@code io.outlast.bootstrap} before the jar is on the bootstrap search path, or the
 * application's loader would define a second copy of it.
 */
public final class OutlastAgent {
    private static ClassLoader agentLoader;

    private OutlastAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void main(String[] args) throws Exception {
        ClassLoader loader = new AgentClassLoader(new JarFile(jarPath()), AgentClassLoader.platformLoader());
        Object code = loader.loadClass("io.outlast.core.Cli")
                .getMethod("run", String[].class, String.class, PrintStream.class, PrintStream.class)
                .invoke(null, args, jarPath(), System.out, System.err);
        System.exit((Integer) code);
    }

    private static synchronized void start(String args, Instrumentation inst, boolean premain) {
        try {
            if (agentLoader == null) {
                JarFile jar = new JarFile(jarPath());
                if (!onBootstrapPath()) {
                    // the manifest's Boot-Class-Path names the jar as built; a renamed jar lands here. This
                    // costs the application class data sharing, so the JVM prints a warning about it
                    inst.appendToBootstrapClassLoaderSearch(jar);
                }
                agentLoader = new AgentClassLoader(jar, AgentClassLoader.platformLoader());
            }
            agentLoader.loadClass("io.outlast.core.AgentInstaller")
                    .getMethod("install", Instrumentation.class, String.class, boolean.class)
                    .invoke(null, inst, args, premain);
        } catch (Throwable t) {
            System.err.println("outlast: error: could not start (" + t + "); the server runs unchanged");
        }
    }

    /** Asks the bootstrap loader alone, so that no other loader defines the class on the way. */
    private static boolean onBootstrapPath() {
        try {
            Class.forName("io.outlast.bootstrap.EventSink", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Loaded from the bootstrap path this class has no code source; its own resource names the jar. */
    private static String jarPath() throws Exception {
        String url = OutlastAgent.class.getResource("OutlastAgent.class").toString();
        if (!url.startsWith("jar:") || url.indexOf("!/") < 0) {
            throw new IllegalStateException("not running from the agent jar: " + url);
        }
        return new File(new URI(url.substring("jar:".length(), url.indexOf("!/")))).getPath();
    }
}
