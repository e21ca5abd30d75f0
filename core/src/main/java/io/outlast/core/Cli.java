package io.outlast.core;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/** {@code java -jar outlast-agent.jar <command> ...}. Exit codes: 0 done, 1 failed, 2 bad usage. */
public final class Cli {
    static final String USAGE = "usage: java -jar outlast-agent.jar attach <pid> [key=value ...]\n"
            + "keys: " + String.join(", ", Config.KEYS);

    private Cli() {
    }

    /** Called reflectively by the launcher; returns the exit code. */
    public static int run(String[] args, String agentJar, PrintStream out, PrintStream err) {
        List<String> a = Arrays.asList(args);
        if (a.isEmpty() || a.get(0).equals("help") || a.get(0).equals("--help") || a.get(0).equals("-h")) {
            out.println(USAGE);
            return a.isEmpty() ? 2 : 0;
        }
        if (a.get(0).equals("attach")) {
            return attach(a.subList(1, a.size()), agentJar, out, err);
        }
        err.println("outlast: unknown command '" + a.get(0) + "'\n" + USAGE);
        return 2;
    }

    private static int attach(List<String> a, String agentJar, PrintStream out, PrintStream err) {
        if (a.isEmpty() || !a.get(0).matches("\\d+")) {
            err.println("outlast: attach needs a process id\n" + USAGE);
            return 2;
        }
        String pid = a.get(0);
        String agentArgs = String.join(",", a.subList(1, a.size()));
        try {
            // the target would reject these too, but only in its own log: say it here, and touch nothing
            Config.fromArguments(agentArgs);
        } catch (ConfigException e) {
            err.println("outlast: error: " + e.getMessage());
            return 2;
        }
        try {
            Class<?> vmClass = Class.forName("com.sun.tools.attach.VirtualMachine", true,
                    ClassLoader.getSystemClassLoader());
            Object vm = vmClass.getMethod("attach", String.class).invoke(null, pid);
            try {
                Method load = vmClass.getMethod("loadAgent", String.class, String.class);
                load.invoke(vm, agentJar, agentArgs);
            } finally {
                vmClass.getMethod("detach").invoke(vm);
            }
        } catch (ClassNotFoundException e) {
            err.println("outlast: error: this Java has no attach API (module jdk.attach); run the command with a JDK");
            return 1;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            err.println("outlast: error: could not attach to " + pid + ": " + cause);
            return 1;
        } catch (ReflectiveOperationException e) {
            err.println("outlast: error: could not attach to " + pid + ": " + e);
            return 1;
        }
        out.println("outlast: loaded into " + pid + (agentArgs.isEmpty() ? "" : " with " + agentArgs)
                + "; the target logs what it found");
        return 0;
    }
}
