package io.outlast.core.cli;

import io.outlast.core.install.AgentInstaller;

import java.lang.instrument.Instrumentation;

/**
 * The target JVM's side of the command line's {@code attach}, {@code status} and {@code reset}: the command
 * comes as the arguments of a dynamically loaded agent ({@code outlast-control;ID;COMMAND;ARGUMENTS}), the
 * answer goes to the agent property {@code outlast.reply} as {@code ID}, an exit code and text, one per line.
 */
public final class Control {
    public static final String PREFIX = "outlast-control;";

    private Control() {
    }

    public static void run(Instrumentation inst, String args) {
        String[] parts = args.split(";", 4);
        String id = parts.length > 1 ? parts[1] : "";
        String command = parts.length > 2 ? parts[2] : "";
        String arguments = parts.length > 3 ? parts[3] : "";
        int exit = 0;
        String text;
        try {
            if (command.equals("attach")) {
                StringBuilder done = new StringBuilder();
                String problem = AgentInstaller.install(inst, arguments, false, done);
                if (problem != null) {
                    exit = 2;
                    text = problem;
                } else {
                    text = done.toString();
                }
            } else if (command.equals("status")) {
                AgentInstaller a = AgentInstaller.installed();
                if (a == null) {
                    exit = 1;
                    text = "outlast is not active in this JVM";
                } else {
                    text = a.status();
                }
            } else if (command.equals("reset")) {
                String done = AgentInstaller.reset();
                if (done == null) {
                    exit = 1;
                    text = "outlast is not active in this JVM";
                } else {
                    text = done;
                }
            } else {
                exit = 2;
                text = "unknown command " + command;
            }
        } catch (Throwable t) {
            exit = 1;
            text = "outlast: error: " + command + " failed in the target: " + t;
        }
        AgentProperties.set(inst, AgentProperties.REPLY, id + "\n" + exit + "\n" + text);
    }
}
