package io.outlast.core.cli;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A JVM the command line talks to through the JDK's attach API (module {@code jdk.attach}, reached
 * reflectively: the agent's code is built for Java 8). Errors come as {@link Failure}s that say what to do.
 */
final class TargetJvm implements AutoCloseable {
    /** Something the user can act on, with the exit code it deserves. */
    static final class Failure extends Exception {
        final int exit;

        Failure(int exit, String message) {
            super(message);
            this.exit = exit;
        }
    }

    private static final int FAILED = 1;

    private final Class<?> vmClass;
    private final Object vm;
    final String pid;

    private TargetJvm(Class<?> vmClass, Object vm, String pid) {
        this.vmClass = vmClass;
        this.vm = vm;
        this.pid = pid;
    }

    static Class<?> attachApi() throws Failure {
        try {
            return Class.forName("com.sun.tools.attach.VirtualMachine", true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            throw new Failure(FAILED, "this Java has no attach API (module jdk.attach, missing from JREs and"
                    + " jlinked runtimes); run the command with a JDK's java, of any version 8 or later");
        }
    }

    /** The JVMs this user can attach to: pid and display name (main class or jar and arguments). */
    static List<String[]> list() throws Failure {
        Class<?> vmClass = attachApi();
        List<String[]> out = new ArrayList<>();
        try {
            for (Object d : (List<?>) vmClass.getMethod("list").invoke(null)) {
                Class<?> dc = d.getClass();
                out.add(new String[] {(String) method(dc, "id").invoke(d), (String) method(dc, "displayName").invoke(d)});
            }
        } catch (ReflectiveOperationException e) {
            throw new Failure(FAILED, "cannot list JVMs: " + cause(e));
        }
        return out;
    }

    /** Attaches, after checking what can be told without trying: that the process exists, is this user's, allows it. */
    static TargetJvm attach(String pid) throws Failure {
        Class<?> vmClass = attachApi();
        Path proc = Paths.get("/proc", pid);
        if (Files.isDirectory(Paths.get("/proc/self"))) {
            if (!Files.isDirectory(proc)) {
                throw new Failure(FAILED, "no such process: " + pid);
            }
            String cmdline = cmdline(proc);
            if (cmdline.contains("-XX:+DisableAttachMechanism")) {
                throw new Failure(FAILED, "process " + pid + " runs with -XX:+DisableAttachMechanism: attach is"
                        + " disabled in it; start it with -javaagent:outlast-agent.jar instead");
            }
            String owner = owner(proc);
            String me = System.getProperty("user.name");
            // root may attach to any user's JVM (recent JDKs allow it); anyone else only to their own
            if (owner != null && !owner.equals(me) && !me.equals("root")) {
                throw new Failure(FAILED, "process " + pid + " belongs to user " + owner + ", not " + me
                        + "; the JVM accepts only its own user: run this as " + owner + " (sudo -u " + owner + " java -jar ...)");
            }
            // the attach API would signal the process and wait ~10 s for an answer that never comes
            if (Boolean.FALSE.equals(runsAJvm(proc))) {
                throw new Failure(FAILED, "process " + pid + " is not a Java VM (" + firstWord(cmdline) + ")");
            }
        }
        try {
            Object vm = vmClass.getMethod("attach", String.class).invoke(null, pid);
            return new TargetJvm(vmClass, vm, pid);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            String name = c.getClass().getSimpleName();
            if (name.equals("AttachNotSupportedException") && Files.isDirectory(proc) && !looksLikeJava(proc)) {
                throw new Failure(FAILED, "process " + pid + " is not a Java VM (" + firstWord(cmdline(proc)) + ")");
            }
            throw new Failure(FAILED, "cannot attach to " + pid + ": " + c
                    + (name.equals("AttachNotSupportedException") ? " (not a JVM, not this user's, or attach disabled"
                    + " in it with -XX:+DisableAttachMechanism)" : ""));
        } catch (ReflectiveOperationException e) {
            throw new Failure(FAILED, "cannot attach to " + pid + ": " + e);
        }
    }

    Properties systemProperties() throws Failure {
        return properties("getSystemProperties");
    }

    Properties agentProperties() throws Failure {
        return properties("getAgentProperties");
    }

    private Properties properties(String getter) throws Failure {
        try {
            return (Properties) vmClass.getMethod(getter).invoke(vm);
        } catch (ReflectiveOperationException e) {
            throw new Failure(FAILED, "cannot read " + pid + "'s properties: " + cause(e));
        }
    }

    void loadAgent(String jar, String args) throws Failure {
        try {
            vmClass.getMethod("loadAgent", String.class, String.class).invoke(vm, jar, args);
        } catch (ReflectiveOperationException e) {
            throw new Failure(FAILED, "could not load the agent into " + pid + ": " + cause(e));
        }
    }

    /** The JVM's Java version, from its properties. */
    int feature() throws Failure {
        String v = systemProperties().getProperty("java.specification.version", "0");
        return Integer.parseInt(v.startsWith("1.") ? v.substring(2) : v);
    }

    /** Whether the target's command line lets agents load later without a JVM warning (JDK 21+). */
    boolean allowsDynamicAgents() {
        String cmdline = cmdline(Paths.get("/proc", pid));
        return cmdline.contains("-XX:+EnableDynamicAgentLoading") || cmdline.contains("-javaagent:");
    }

    @Override
    public void close() {
        try {
            vmClass.getMethod("detach").invoke(vm);
        } catch (ReflectiveOperationException e) {
            // gone already
        }
    }

    private static Method method(Class<?> c, String name) throws NoSuchMethodException {
        Method m = c.getMethod(name);
        m.setAccessible(true);
        return m;
    }

    private static String cause(ReflectiveOperationException e) {
        Throwable c = e instanceof InvocationTargetException ? e.getCause() : e;
        return String.valueOf(c);
    }

    private static String cmdline(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String owner(Path proc) {
        try {
            return Files.getOwner(proc).getName();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether the process has a JVM mapped ({@code libjvm.so}, whatever launched it: java, a native image of
     * a launcher, an embedding program); null when its memory map cannot be read.
     */
    static Boolean runsAJvm(Path proc) {
        try (java.io.BufferedReader maps = Files.newBufferedReader(proc.resolve("maps"), StandardCharsets.ISO_8859_1)) {
            String line;
            boolean any = false;
            while ((line = maps.readLine()) != null) {
                any = true;
                if (line.endsWith("/libjvm.so") || line.contains("/libjvm.so ")) {
                    return Boolean.TRUE;
                }
            }
            return any ? Boolean.FALSE : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean looksLikeJava(Path proc) {
        try {
            String exe = proc.resolve("exe").toRealPath().getFileName().toString();
            return exe.equals("java") || exe.startsWith("java");
        } catch (IOException | RuntimeException e) {
            return cmdline(proc).contains("java");
        }
    }

    private static String firstWord(String cmdline) {
        int space = cmdline.indexOf(' ');
        return space < 0 ? cmdline : cmdline.substring(0, space);
    }
}
