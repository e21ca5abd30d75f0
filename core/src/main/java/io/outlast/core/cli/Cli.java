package io.outlast.core.cli;

import io.outlast.core.settings.Config;
import io.outlast.core.settings.ConfigException;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * {@code java -jar outlast-agent.jar <command> ...}, in the manner of the JDK's jcmd. Exit codes: 0 done,
 * 1 failed, 2 bad usage or settings, 3 (probe) the server does not outlast the proxy.
 */
public final class Cli {
    static final String USAGE = "usage: java -jar outlast-agent.jar <command>\n"
            + "  list                        the JVMs this user can attach to, and what outlast found in them\n"
            + "  attach <pid> [key=value ...] load outlast into a running JVM, or change its settings there\n"
            + "  status <pid>                per endpoint: timeouts (own, in force), closes by closer, idle at close\n"
            + "  reset <pid>                 the servers' own timeouts back, instrumentation removed, logging stopped\n"
            + "  " + ProbeCommand.USAGE + "\n"
            + "                              when a server (any HTTP/1.1 server) closes idle connections and headers\n"
            + "keys: " + String.join(", ", Config.KEYS);

    /** How a reply's warning lines begin: the command line prints them on standard error. */
    public static final String WARNING = "outlast: warning: ";

    private Cli() {
    }

    /** Called reflectively by the launcher; returns the exit code. */
    public static int run(String[] args, String agentJar, PrintStream out, PrintStream err) {
        List<String> a = Arrays.asList(args);
        if (a.isEmpty() || a.get(0).equals("help") || a.get(0).equals("--help") || a.get(0).equals("-h")) {
            out.println(USAGE);
            return a.isEmpty() ? 2 : 0;
        }
        String command = a.get(0);
        List<String> rest = a.subList(1, a.size());
        try {
            switch (command) {
                case "list":
                    return list(out);
                case "attach":
                    return attach(rest, agentJar, out, err);
                case "status":
                case "reset":
                    return control(command, rest, agentJar, out, err);
                case "probe":
                    return ProbeCommand.run(rest, out, err);
                default:
                    err.println("outlast: unknown command '" + command + "'\n" + USAGE);
                    return 2;
            }
        } catch (TargetJvm.Failure f) {
            err.println("outlast: error: " + f.getMessage());
            return f.exit;
        }
    }

    private static int list(PrintStream out) throws TargetJvm.Failure {
        String self = selfPid();
        out.println(String.format("%-8s %-8s %-10s %s", "PID", "JAVA", "OUTLAST", "MAIN"));
        for (String[] d : TargetJvm.list()) {
            if (d[0].equals(self)) {
                continue;
            }
            String main = d[1].isEmpty() ? "-" : d[1].split(" ")[0];
            String java = "?";
            String outlast = "?";
            String endpoints = null;
            try (TargetJvm vm = TargetJvm.attach(d[0])) {
                Properties sys = vm.systemProperties();
                java = sys.getProperty("java.version", "?");
                Properties agent = vm.agentProperties();
                outlast = agent.getProperty(AgentProperties.VERSION, "no");
                endpoints = agent.getProperty(AgentProperties.ENDPOINTS);
            } catch (TargetJvm.Failure f) {
                endpoints = "(" + f.getMessage() + ")";
            }
            out.println(String.format("%-8s %-8s %-10s %s", d[0], java, outlast, main));
            if (endpoints != null && !endpoints.isEmpty()) {
                out.println("         servers: " + endpoints);
            }
        }
        return 0;
    }

    private static int attach(List<String> a, String agentJar, PrintStream out, PrintStream err) throws TargetJvm.Failure {
        if (a.isEmpty() || !a.get(0).matches("\\d+")) {
            err.println("outlast: attach needs a process id\n" + USAGE);
            return 2;
        }
        String agentArgs = String.join(",", a.subList(1, a.size()));
        try {
            // the target would reject these too, but only in its own log: say it here, and touch nothing
            Config.fromArguments(agentArgs);
        } catch (ConfigException e) {
            err.println("outlast: error: " + e.getMessage());
            return 2;
        }
        TargetJvm.attachApi();
        try (TargetJvm vm = TargetJvm.attach(a.get(0))) {
            if (vm.feature() >= 21 && !vm.allowsDynamicAgents()
                    && vm.agentProperties().getProperty(AgentProperties.VERSION) == null) {
                err.println("outlast: note: JDK " + vm.feature() + " prints a warning when an agent is loaded into a"
                        + " running JVM (JEP 451); harmless here. Start with -javaagent:outlast-agent.jar (or"
                        + " -XX:+EnableDynamicAgentLoading) to have none.");
            }
            return send(vm, "attach", agentArgs, agentJar, out, err);
        }
    }

    private static int control(String command, List<String> a, String agentJar, PrintStream out, PrintStream err)
            throws TargetJvm.Failure {
        if (a.size() != 1 || !a.get(0).matches("\\d+")) {
            err.println("outlast: " + command + " needs a process id\n" + USAGE);
            return 2;
        }
        try (TargetJvm vm = TargetJvm.attach(a.get(0))) {
            Properties agent = vm.agentProperties();
            if (agent.getProperty(AgentProperties.VERSION) == null) {
                // asking would load the agent: say so instead
                err.println("outlast: error: outlast is not loaded in " + vm.pid + " (attach it first)");
                return 1;
            }
            String status = agent.getProperty(AgentProperties.STATUS);
            if (command.equals("status") && status != null) {
                // read, not asked: loading an agent to ask would add JDK 21+'s warning to the application's log
                out.print(status);
                out.println("(as of " + age(agent.getProperty(AgentProperties.STATUS_TIME)) + ")");
                return 0;
            }
            int feature = vm.feature();
            if (feature >= 21 && !vm.allowsDynamicAgents()) {
                err.println("outlast: note: " + command + " acts inside the JVM, which takes loading an agent there;"
                        + " JDK " + feature + " prints its warning about it (JEP 451) in the application's"
                        + " output; harmless here");
            }
            return send(vm, command, "", agentJar, out, err);
        }
    }

    /** How long ago the target published its status (the same machine, the same clock). */
    static String age(String millis) {
        try {
            long ms = Math.max(0, System.currentTimeMillis() - Long.parseLong(millis));
            return ms < 1000 ? "now" : (ms / 1000) + "s ago";
        } catch (NumberFormatException | NullPointerException e) {
            return "an unknown time";
        }
    }

    /** A command for the agent in the target, through a dynamically loaded agent's arguments; its reply printed. */
    private static int send(TargetJvm vm, String command, String args, String agentJar, PrintStream out,
                            PrintStream err) throws TargetJvm.Failure {
        String id = UUID.randomUUID().toString();
        vm.loadAgent(agentJar, Control.PREFIX + id + ";" + command + ";" + args);
        String reply = vm.agentProperties().getProperty(AgentProperties.REPLY);
        if (reply == null || !reply.startsWith(id + "\n")) {
            err.println("outlast: error: " + vm.pid + " gave no answer; its own output may say why");
            return 1;
        }
        String[] parts = reply.split("\n", 3);
        int exit = Integer.parseInt(parts[1]);
        String text = parts.length > 2 ? parts[2] : "";
        for (String line : text.split("\n")) {
            (exit == 0 && !line.startsWith(WARNING) ? out : err).println(line);
        }
        return exit;
    }

    private static String selfPid() {
        String name = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
        int at = name.indexOf('@');
        return at > 0 ? name.substring(0, at) : name;
    }
}
