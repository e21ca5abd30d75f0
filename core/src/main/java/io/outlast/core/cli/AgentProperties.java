package io.outlast.core.cli;

import io.outlast.family.JavaModules;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Properties;

/**
 * The JVM's agent properties: a property set apart from the system properties, which the attach API reads
 * ({@code VirtualMachine.getAgentProperties()}) and the application does not see. The agent says there that
 * it is loaded, with what settings and servers, and answers the command line's commands; no file, no port.
 */
public final class AgentProperties {
    public static final String VERSION = "outlast.version";
    public static final String SETTINGS = "outlast.settings";
    public static final String ENDPOINTS = "outlast.endpoints";
    static final String REPLY = "outlast.reply";
    /** What {@code status} prints, kept current by the agent, so that the command need not load an agent. */
    public static final String STATUS = "outlast.status";
    /** When {@link #STATUS} was made, in the JVM's milliseconds since the epoch. */
    public static final String STATUS_TIME = "outlast.status.time";

    private static volatile Properties properties;

    private AgentProperties() {
    }

    /** The JVM's agent properties, or null where they cannot be reached (nothing is reported then). */
    static synchronized Properties get(Instrumentation inst) {
        if (properties == null) {
            try {
                properties = find(inst);
            } catch (Exception | LinkageError e) {
                return null;
            }
        }
        return properties;
    }

    private static Properties find(Instrumentation inst) throws Exception {
        Class<?> support;
        try {
            support = Class.forName("jdk.internal.vm.VMSupport");
            JavaModules.exportToAgent(inst, support, "jdk.internal.vm");
        } catch (ClassNotFoundException java8) {
            support = Class.forName("sun.misc.VMSupport");
        }
        Method get = support.getMethod("getAgentProperties");
        return (Properties) get.invoke(null);
    }

    public static void set(Instrumentation inst, String key, String value) {
        Properties p = get(inst);
        if (p != null) {
            if (value == null) {
                p.remove(key);
            } else {
                p.setProperty(key, value);
            }
        }
    }
}
