package io.outlast.agent;

import java.io.File;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.net.URI;

/**
 * The agent jar's entry points, and with {@link AgentClassLoader}, {@link NestedArchive} and {@link Starter} the
 * only classes at the jar's root, where the application could see them (-javaagent puts the jar on its class
 * path). Everything else is in archives nested in the jar ({@code inst/*.jar}), which no ordinary class loader
 * reads: the agent's own classes are defined by {@link AgentClassLoader}, the bootstrap API in the bootstrap
 * loader by {@code BootstrapInjector}.
 */
public final class OutlastAgent {
    private static ClassLoader agentLoader;

    private OutlastAgent() {
    }

    /**
     * Returns at once: the application's start waits for none of the agent's work (its class loader, the
     * bootstrap API, the settings, the log; about 20 ms measured on the main thread), which a thread does
     * beside it. Not a lambda: the first one in a JVM costs the main thread its own milliseconds.
     */
    public static void premain(String args, Instrumentation inst) {
        new Starter(args, inst).start();
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void main(String[] args) throws Exception {
        ClassLoader loader = new AgentClassLoader(new File(jarPath()), AgentClassLoader.platformLoader());
        Object code = loader.loadClass("io.outlast.core.cli.Cli")
                .getMethod("run", String[].class, String.class, PrintStream.class, PrintStream.class)
                .invoke(null, args, jarPath(), System.out, System.err);
        System.exit((Integer) code);
    }

    /**
     * Not under the launcher's lock: at premain the agent waits for the application's start (see
     * {@code Preflight}), having checked its settings, and only then defines the bootstrap API and installs.
     */
    static void start(String args, Instrumentation inst, boolean premain) {
        try {
            ClassLoader loader = loader();
            if (premain) {
                Class<?> preflight = loader.loadClass("io.outlast.core.settings.Preflight");
                if (!(Boolean) preflight.getMethod("check", String.class).invoke(null, args)) {
                    return;
                }
                preflight.getMethod("awaitStart", Instrumentation.class).invoke(null, inst);
            }
            injectBootstrapApi(loader, inst);
            loader.loadClass("io.outlast.core.install.AgentInstaller")
                    .getMethod("install", Instrumentation.class, String.class, boolean.class)
                    .invoke(null, inst, args, premain);
        } catch (Throwable t) {
            // the process's stderr, not System.err: by now an application server may have made that its logger's
            new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true)
                    .println("outlast: error: could not start (" + t + "); the server runs unchanged");
        }
    }

    private static synchronized ClassLoader loader() throws Exception {
        if (agentLoader == null) {
            agentLoader = new AgentClassLoader(new File(jarPath()), AgentClassLoader.platformLoader());
        }
        return agentLoader;
    }

    /** Once (a second call finds it defined), before anything that uses it is loaded. */
    private static synchronized void injectBootstrapApi(ClassLoader loader, Instrumentation inst) throws Exception {
        if (!onBootstrapPath()) {
            loader.loadClass("io.outlast.core.install.BootstrapInjector").getMethod("inject", Instrumentation.class)
                    .invoke(null, inst);
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

    /** The jar this class was loaded from, from its own resource (works whatever loader defined it). */
    private static String jarPath() throws Exception {
        String url = OutlastAgent.class.getResource("OutlastAgent.class").toString();
        if (!url.startsWith("jar:") || url.indexOf("!/") < 0) {
            throw new IllegalStateException("not running from the agent jar: " + url);
        }
        return new File(new URI(url.substring("jar:".length(), url.indexOf("!/")))).getPath();
    }
}
