package io.outlast.core.install;

import io.outlast.core.log.EventLog;
import io.outlast.family.TypeInstrumentation;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.FutureTask;

/**
 * The only transformer the JVM calls for every class once it is added (after the application's start, see
 * {@link AgentInstaller}). It compares the class name with the targets' names and returns at once for
 * everything else; Byte Buddy is asked only about the few target classes.
 */
final class OutlastTransformer implements ClassFileTransformer {
    private final Map<String, TypeInstrumentation> targets;
    private final FutureTask<Weaver> weaver;
    private final EventLog log;
    private final Set<String> failed = Collections.synchronizedSet(new HashSet<>());
    /** "/io/netty/channel/DefaultChannelPipeline" (internal form, leading slash) to its family. */
    private final Map<String, String> relocationProbes;
    private final Set<String> relocatedSeen = Collections.synchronizedSet(new HashSet<>());
    /** Servers found that no family governs, as said once each ({@link UngovernedServers}). */
    private final Set<String> ungovernedFound = Collections.synchronizedSet(new java.util.LinkedHashSet<>());
    private final BootstrapVisibility visibility = new BootstrapVisibility();

    OutlastTransformer(Map<String, TypeInstrumentation> targets, Map<String, String> relocationProbes, EventLog log) {
        this.targets = targets;
        this.relocationProbes = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : relocationProbes.entrySet()) {
            this.relocationProbes.put("/" + e.getKey().replace('.', '/'), e.getValue());
        }
        this.log = log;
        this.weaver = new FutureTask<>(Weaver::new);
    }

    /**
     * Until the class loaders' classes are woven, a server's class is left as it loads (the installer lists and weaves
     * it once they are): its loader would be judged, and remembered, blind to the bootstrap API.
     */
    private volatile boolean serversOpen;

    void openServers() {
        serversOpen = true;
    }

    /** Prepares Byte Buddy now, on the calling thread. */
    void prepare() {
        weaver.run();
    }

    boolean targets(String className) {
        return targets.containsKey(className);
    }

    /** Says once per family when a class is a relocated copy of one it knows (a shaded server library). */
    void relocated(String internalName) {
        if (relocationProbes.isEmpty()) {
            return;
        }
        for (Map.Entry<String, String> probe : relocationProbes.entrySet()) {
            if (internalName.endsWith(probe.getKey()) && relocatedSeen.add(probe.getValue())) {
                String name = internalName.replace('/', '.');
                log.warn(probe.getValue() + ": " + name + " is a relocated copy outlast does not know"
                        + " (a shaded library); left untouched");
            }
        }
    }

    /** Says once that a server no family governs is here, where the class is one it loads to serve. */
    void ungoverned(String className) {
        String described = UngovernedServers.describe(className);
        if (described != null && ungovernedFound.add(described)) {
            // on the log's thread, not this one (it may hold a class's loading lock): the line, status and list
            int colon = described.indexOf(": ");
            log.found(described.substring(0, colon) + " found (" + className + "), not governed by outlast: "
                    + described.substring(colon + 2) + " stays; set it above the proxy's idle");
        }
    }

    /** The servers said by {@link #ungoverned}, in the order found. */
    java.util.List<String> ungovernedFound() {
        synchronized (ungovernedFound) {
            return new java.util.ArrayList<>(ungovernedFound);
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (internalName == null) {
            return null;
        }
        String name = internalName.replace('/', '.');
        TypeInstrumentation target = targets.get(name);
        if (target == null) {
            relocated(internalName);
            ungoverned(name);
            return null;
        }
        if (!serversOpen && !BootstrapVisibility.isLoaderTarget(name)) {
            return null;
        }
        if (!visibility.sees(loader)) {
            log.warnOnce("invisible " + loader.getClass().getName(), name + " is loaded by " + loader
                    + ", which cannot see outlast's bootstrap API (" + BootstrapVisibility.PACKAGE + "*): its classes are"
                    + " left untouched, the servers they run are not governed");
            return null;
        }
        try {
            return weaver.get().weave(target, loader, bytes);
        } catch (Throwable t) {
            // never fail the host's class loading: the class stays as it was
            if (failed.add(target.typeName())) {
                log.warn("could not instrument " + target.typeName() + ", left as it was: " + t);
            }
            return null;
        }
    }
}
