package io.outlast.family;

import io.outlast.bootstrap.EventSink;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Packages of the JDK's modules for the agent's own class loader alone, never the application's (Java 9+ module
 * API, reached reflectively for Java 8's sake, where there is nothing to grant).
 */
public final class JavaModules {
    private JavaModules() {
    }

    /** The package's public types, for the agent. */
    public static void exportToAgent(Instrumentation inst, Class<?> inPackage, String pkg) throws Exception {
        redefine(inst, inPackage, pkg, false);
    }

    /** The package's private members too, for the agent's reflection. */
    public static void openToAgent(Instrumentation inst, Class<?> inPackage, String pkg) throws Exception {
        redefine(inst, inPackage, pkg, true);
    }

    /**
     * A server in a named module of the JDK's boot layer (jdk.httpserver): advice inlined there must read the
     * bootstrap API's module, and the agent's own code must reach {@code pkg}; both are granted to exactly those
     * modules, not to the application. Nothing to do on Java 8 or where the module is not in the image.
     */
    public static void openServerModule(Instrumentation inst, String moduleName, String pkg) throws Exception {
        Class<?> moduleType;
        try {
            moduleType = Class.forName("java.lang.Module");
        } catch (ClassNotFoundException java8) {
            return;
        }
        Class<?> layerType = Class.forName("java.lang.ModuleLayer");
        Object boot = layerType.getMethod("boot").invoke(null);
        Optional<?> found = (Optional<?>) layerType.getMethod("findModule", String.class).invoke(boot, moduleName);
        if (!found.isPresent()) {
            return;
        }
        Method getModule = Class.class.getMethod("getModule");
        Set<Object> reads = new HashSet<>(Collections.singleton(getModule.invoke(EventSink.class)));
        Map<String, Set<Object>> opens = new HashMap<>();
        opens.put(pkg, Collections.singleton(getModule.invoke(JavaModules.class)));
        Instrumentation.class.getMethod("redefineModule", moduleType, Set.class, Map.class, Map.class, Set.class,
                Map.class).invoke(inst, found.get(), reads, new HashMap<>(), opens, new HashSet<>(), new HashMap<>());
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
