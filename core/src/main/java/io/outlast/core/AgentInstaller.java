package io.outlast.core;

import io.outlast.bootstrap.EventSink;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Installs the agent: settings, log, instrumentation modules, transformer. Premain and attach take the
 * same path; at premain, Byte Buddy is prepared in the background, at attach it is prepared at once and
 * classes already loaded are retransformed.
 */
public final class AgentInstaller {
    private static volatile AgentInstaller installed;

    private final EventLog log;

    private AgentInstaller(EventLog log) {
        this.log = log;
    }

    /** Entry point, called reflectively by the launcher through the agent's class loader. */
    public static void install(Instrumentation inst, String args, boolean premain) {
        Config config;
        try {
            config = Config.load(args, System.getProperties(), System.getenv());
        } catch (ConfigException e) {
            System.err.println("outlast: error: " + e.getMessage() + "; outlast changes nothing");
            return;
        }
        if (installed != null) {
            installed.log.warn("already loaded; changing the settings of a loaded agent is not supported yet,"
                    + " the first settings stay in force");
            return;
        }
        if (!config.enabled) {
            System.err.println("outlast: disabled (enabled=false); the server runs unchanged");
            return;
        }
        EventLog log;
        try {
            log = new EventLog(config);
        } catch (Exception e) {
            System.err.println("outlast: error: bad setting log=" + config.log + ": cannot open it (" + e
                    + "); outlast changes nothing");
            return;
        }
        log.start();
        installed = new AgentInstaller(log);
        installed.run(inst, config, premain);
    }

    private void run(Instrumentation inst, Config config, boolean premain) {
        for (String w : config.warnings) {
            log.warn(w);
        }
        if (config.idleMs < 0 && config.headerMs < 0) {
            log.info("no idle, proxy or header set: servers keep their own timeouts, closes are logged");
        }
        EventSink.set(log);
        AgentContext context = new AgentContext(config, log, inst);
        Map<String, TypeInstrumentation> targets = new LinkedHashMap<>();
        Map<String, String> relocationProbes = new LinkedHashMap<>();
        List<String> families = new ArrayList<>();
        for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class,
                AgentInstaller.class.getClassLoader())) {
            if (!config.instruments(module.family())) {
                continue;
            }
            families.add(module.family());
            module.start(context);
            for (TypeInstrumentation ti : module.typeInstrumentations()) {
                targets.put(ti.typeName(), ti);
            }
            for (String probe : module.relocationProbes()) {
                relocationProbes.put(probe, module.family());
            }
        }
        OutlastTransformer transformer = new OutlastTransformer(targets, relocationProbes, log);
        if (premain) {
            transformer.prepareInBackground();
        } else {
            transformer.prepare();
        }
        inst.addTransformer(transformer, true);
        retransformLoaded(inst, transformer);
        log.info((premain ? "started" : "attached") + " (" + config + "), watching " + String.join(", ", families));
    }

    private void retransformLoaded(Instrumentation inst, OutlastTransformer transformer) {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (transformer.targets(c.getName()) && inst.isModifiableClass(c)) {
                loaded.add(c);
            } else {
                transformer.relocated(c.getName().replace('.', '/'));
            }
        }
        for (Class<?> c : loaded) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable t) {
                log.warn("could not retransform " + c.getName() + ", left as it was: " + t);
            }
        }
    }
}
