package io.outlast.core;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Packages of the JDK's modules for the agent's own class loader alone, never the application's (Java 9+ module
 * API, reached reflectively for Java 8's sake, where there is nothing to grant).
 */
final class JavaModules {
    private JavaModules() {
    }

    /** The package's public types, for the agent. */
    static void exportToAgent(Instrumentation inst, Class<?> inPackage, String pkg) throws Exception {
        redefine(inst, inPackage, pkg, false);
    }

    /** The package's private members too, for the agent's reflection. */
    static void openToAgent(Instrumentation inst, Class<?> inPackage, String pkg) throws Exception {
        redefine(inst, inPackage, pkg, true);
    }

    private static void redefine(Instrumentation inst, Class<?> inPackage, String pkg, boolean open) throws Exception {
        Class<?> moduleType;
        try {
            moduleType = Class.forName("java.lang.Module");
        } catch (ClassNotFoundException java8) {
            return;
        }
        Method getModule = Class.class.getMethod("getModule");
        Object module = getModule.invoke(inPackage);
        Map<String, Set<Object>> granted = new HashMap<>();
        granted.put(pkg, Collections.singleton(getModule.invoke(JavaModules.class)));
        Instrumentation.class.getMethod("redefineModule", moduleType, Set.class, Map.class, Map.class, Set.class,
                Map.class).invoke(inst, module, new HashSet<>(), open ? new HashMap<>() : granted,
                open ? granted : new HashMap<>(), new HashSet<>(), new HashMap<>());
    }
}
