package io.outlast.core.install;

import io.outlast.core.cli.AgentProperties;
import io.outlast.core.cli.Cli;
import io.outlast.core.cli.Control;
import io.outlast.core.log.EventLog;
import io.outlast.core.log.LogTarget;
import io.outlast.core.settings.Config;
import io.outlast.core.settings.ConfigException;
import io.outlast.core.settings.Preflight;
import io.outlast.core.stats.EndpointMXBean;
import io.outlast.core.stats.EndpointStats;
import io.outlast.core.stats.EndpointView;
import io.outlast.core.stats.Stats;
import io.outlast.core.stats.StatusReport;
import io.outlast.family.EndpointReport;
import io.outlast.family.InstrumentationModule;
import io.outlast.family.RunningThreads;
import io.outlast.family.TypeInstrumentation;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.EventSink;

import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Installs the agent: settings, log, instrumentation modules, transformer. Premain and attach take the
 * same path: at premain it is called once the application has started ({@link Preflight}), and classes
 * already loaded are retransformed. A second attach changes the settings of the one installed; a reset
 * takes it all out again.
 */
public final class AgentInstaller implements EventLog.Listener {
    public static final String VERSION = "0.1.0";
    /** How often the connections followed are looked at for the status text. */
    private static final long FOLLOWED_REFRESH_MS = 2000;
    private static AgentInstaller installed;

    private final Instrumentation inst;
    private final EventLog log;
    private final Map<String, String> arguments;
    private final AgentContext context;
    private final List<InstrumentationModule> modules = new ArrayList<>();
    private final Stats stats;
    /** The connections followed as the status text last said (written under this object's lock). */
    private volatile String publishedFollowed = "";
    private final List<ObjectName> mbeans = new ArrayList<>();
    /**
     * JMX's own thread, gone when idle: the platform MBean server's first use loads and starts JMX, seconds on a
     * loaded machine, which the log's thread (that writes the lines) must not wait for.
     */
    private final ThreadPoolExecutor jmx = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> {
                Thread t = new Thread(r, "outlast-jmx");
                t.setDaemon(true);
                return t;
            });
    private volatile OutlastTransformer transformer;
    /** The JVM's exit drains the servers when a drain is set then ({@link ExitDrain}); null once reset. */
    private Thread exitDrain;

    private AgentInstaller(Instrumentation inst, EventLog log, Config config, Map<String, String> arguments) {
        this.inst = inst;
        this.log = log;
        this.arguments = arguments;
        this.context = new AgentContext(config, log, inst);
        this.stats = new Stats(() -> context.config().proxyMs);
    }

    /** Entry point, called reflectively by the launcher through the agent's class loader. */
    public static void install(Instrumentation inst, String args, boolean premain) {
        if (args != null && args.startsWith(Control.PREFIX)) {
            Control.run(inst, args);
            return;
        }
        String problem = install(inst, args, premain, null);
        if (problem != null) {
            LogTarget.stderrLine(problem);
        }
    }

    /**
     * Installs, or with an agent installed already changes its settings. Returns null when done, else the
     * line that says why nothing was changed; {@code done} gets what was done.
     */
    public static synchronized String install(Instrumentation inst, String args, boolean premain, StringBuilder done) {
        Map<String, String> arguments;
        Config config;
        try {
            arguments = Config.parseArguments(args);
            if (installed != null) {
                // an attach made during the application's start came after the -javaagent's settings: it wins
                Map<String, String> merged = new LinkedHashMap<>(premain ? arguments : installed.arguments);
                merged.putAll(premain ? installed.arguments : arguments);
                arguments = merged;
            }
            config = Config.load(Config.formatArguments(arguments), System.getProperties(), System.getenv());
        } catch (ConfigException e) {
            return Preflight.configError(e);
        }
        if (installed != null) {
            return installed.reconfigure(config, arguments, done);
        }
        if (!config.enabled) {
            return Preflight.DISABLED;
        }
        EventLog log;
        try {
            log = new EventLog(config);
        } catch (Exception e) {
            return Preflight.logError(config, e);
        }
        log.start();
        installed = new AgentInstaller(inst, log, config, arguments);
        installed.run(premain);
        if (done != null) {
            done.append("outlast ").append(VERSION).append(" loaded (").append(config).append(")");
            warnings(config, done);
        }
        return null;
    }

    public static synchronized AgentInstaller installed() {
        return installed;
    }

    private void run(boolean premain) {
        Config config = context.config();
        for (String w : config.warnings) {
            log.warn(w);
        }
        if (config.idleMs < 0 && config.headerMs < 0) {
            log.info("no idle, proxy or header set: servers keep their own timeouts, closes are logged");
        }
        log.listener(this);
        EventSink.set(log);
        AgentProperties.set(inst, AgentProperties.VERSION, VERSION);
        AgentProperties.set(inst, AgentProperties.SETTINGS, config.toString());
        Map<String, TypeInstrumentation> targets = new LinkedHashMap<>();
        for (TypeInstrumentation ti : BootstrapVisibility.typeInstrumentations()) {
            targets.put(ti.typeName(), ti);
        }
        Map<String, String> relocationProbes = new LinkedHashMap<>();
        List<String> families = new ArrayList<>();
        for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class,
                AgentInstaller.class.getClassLoader())) {
            if (!config.instruments(module.family())) {
                continue;
            }
            families.add(module.family());
            modules.add(module);
            module.start(context);
            for (TypeInstrumentation ti : module.typeInstrumentations()) {
                targets.put(ti.typeName(), ti);
            }
            for (String probe : module.relocationProbes()) {
                relocationProbes.put(probe, module.family());
            }
        }
        transformer = new OutlastTransformer(targets, relocationProbes, log);
        transformer.prepare();
        if (!premain) {
            // before the classes to weave are listed: what it loads is listed too (loaded after the list and before
            // the transformer, Undertow's HTTP/2 channel went unwoven). Not at premain: the install runs there as a
            // server class loads (StartWatch), where resolving the server's API could fail for that load alone, and a
            // failure is remembered (tested: Undertow untracked)
            prepare();
        }
        inst.addTransformer(transformer, true);
        List<Class<?>> loaderClasses = new ArrayList<>();
        for (Class<?> c : loadedTargets(true)) {
            if (BootstrapVisibility.isLoaderTarget(c.getName())) {
                loaderClasses.add(c);
            }
        }
        // the class loaders' first, on their own, and only then the servers': a server's class woven before its
        // loader's is would be judged blind to the API, for good (Liberty's TCP channel, loaded by a bundle during
        // the install at premain). One loaded meanwhile is in the list below.
        retransform(loaderClasses);
        transformer.openServers();
        List<Class<?>> servers = new ArrayList<>();
        for (Class<?> c : loadedTargets(false)) {
            if (!BootstrapVisibility.isLoaderTarget(c.getName())) {
                servers.add(c);
            }
        }
        retransform(servers);
        log.info((premain ? "started" : "attached") + " (" + config + "), watching " + String.join(", ", families));
        meetRunning();
        refresh();
        context.periodically(FOLLOWED_REFRESH_MS, this::refreshIfFollowedMoved);
        try {
            Thread hook = AgentThreads.daemon(new ExitDrain(modules, context::config, log), "outlast-exit-drain");
            Runtime.getRuntime().addShutdownHook(hook);
            exitDrain = hook;
        } catch (IllegalStateException alreadyExiting) {
            // installed during the exit: nothing to drain at it
        }
    }

    /**
     * The status text is made again when an event changes its figures; the connections followed change without one
     * (an attach meeting thousands, a sweep's close): looked at every few seconds, published when they moved.
     */
    private void refreshIfFollowedMoved() {
        if (!context.trackedConnections().equals(publishedFollowed) || context.draining()) {
            refresh();
        }
    }

    /** Before an attach's advice goes in: what its first calls on the servers' threads would resolve there. */
    private void prepare() {
        withRunning(InstrumentationModule::prepare, null); // where it fails, the hooks resolve it, as without this
    }

    /** Servers that were running before the advice was in place, and their connections open since. */
    private void meetRunning() {
        withRunning(InstrumentationModule::meetRunning,
                "could not meet the servers already running (%s); each is met at its next connection or request instead");
    }

    private interface RunningStep {
        void run(InstrumentationModule module, RunningThreads threads) throws Exception;
    }

    /** Each module's step over the threads running now; a failure said with {@code warning} (null: not said). */
    private void withRunning(RunningStep step, String warning) {
        RunningThreads threads = RunningThreads.now(inst, log::warn);
        for (InstrumentationModule m : modules) {
            try {
                step.run(m, threads);
            } catch (Throwable t) {
                if (warning != null) {
                    log.warn(m.family() + ": " + String.format(warning, EventLog.describe(t)));
                }
            }
        }
    }

    /** New settings for the agent installed: in force at once, for open connections too. */
    private String reconfigure(Config next, Map<String, String> nextArguments, StringBuilder done) {
        Config before = context.config();
        List<String> fixed = new ArrayList<>();
        if (!next.servers.equals(before.servers)) {
            fixed.add("servers");
        }
        if (!next.clients.equals(before.clients)) {
            fixed.add("clients");
        }
        if (!next.log.equals(before.log) || next.json != before.json) {
            fixed.add("log, log.format");
        }
        if (!next.enabled) {
            fixed.add("enabled (use reset)");
        }
        if (!fixed.isEmpty()) {
            return "outlast: error: " + String.join("; ", fixed) + " cannot change while the agent runs: reset it,"
                    + " then attach with the new settings; outlast changes nothing";
        }
        arguments.clear();
        arguments.putAll(nextArguments);
        context.reconfigure(next);
        log.config(next);
        for (InstrumentationModule m : modules) {
            m.reconfigured();
        }
        for (String w : next.warnings) {
            log.warn(w);
        }
        AgentProperties.set(inst, AgentProperties.SETTINGS, next.toString());
        refresh();
        log.info("settings changed: " + before + " -> " + next);
        if (done != null) {
            done.append("outlast settings changed: ").append(before).append(" -> ").append(next)
                    .append("; open connections have them too");
            warnings(next, done);
        }
        return null;
    }

    /** The settings' warnings for the command line too: the operator who typed them is there, not in the log. */
    private static void warnings(Config config, StringBuilder done) {
        for (String w : config.warnings) {
            done.append('\n').append(Cli.WARNING).append(w);
        }
    }

    /** The servers' own timeouts back, the agent's advice out of their classes, logging stopped. */
    public static synchronized String reset() {
        AgentInstaller a = installed;
        if (a == null) {
            return null;
        }
        Config none;
        try {
            none = Config.load("", new java.util.Properties(), new java.util.HashMap<>());
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
        a.context.reconfigure(none);
        for (InstrumentationModule m : a.modules) {
            m.reconfigured();
        }
        if (a.transformer != null) {
            // null while a premain still waits for the application's start: nothing woven yet
            a.inst.removeTransformer(a.transformer);
            a.retransform(a.loadedTargets(false));
        }
        for (InstrumentationModule m : a.modules) {
            m.stop();
        }
        if (a.exitDrain != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(a.exitDrain);
            } catch (IllegalStateException alreadyExiting) {
                // it runs with the settings in force: none
            }
            a.exitDrain = null;
        }
        a.context.shutdown();
        a.jmx.execute(a::unregisterMBeans);
        EventSink.set(null);
        a.log.info("reset: the servers' own timeouts are back, instrumentation removed, logging stopped");
        a.log.stop();
        AgentProperties.set(a.inst, AgentProperties.VERSION, null);
        AgentProperties.set(a.inst, AgentProperties.SETTINGS, null);
        AgentProperties.set(a.inst, AgentProperties.ENDPOINTS, null);
        AgentProperties.set(a.inst, AgentProperties.STATUS, null);
        AgentProperties.set(a.inst, AgentProperties.STATUS_TIME, null);
        installed = null;
        return "outlast reset: the servers' own timeouts are back, instrumentation removed, logging stopped";
    }

    public String status() {
        List<EndpointView> views = new ArrayList<>();
        for (EndpointStats s : stats.endpoints()) {
            views.add(new EndpointView(s, context::config, context::drainOf));
        }
        OutlastTransformer t = transformer;
        return StatusReport.text(context.config(), stats.startedMillis, context.trackedConnections(), views,
                t == null ? java.util.Collections.<String>emptyList() : t.ungovernedFound(), stats.upstreams());
    }

    private List<Class<?>> loadedTargets(boolean relocationCheck) {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (transformer.targets(c.getName()) && inst.isModifiableClass(c)) {
                loaded.add(c);
            } else if (relocationCheck) {
                transformer.relocated(c.getName().replace('.', '/'));
                transformer.ungoverned(c.getName());
            }
        }
        return loaded;
    }

    /**
     * In one call where it can (the JVM redefines the classes at one safepoint): a server's hooks go live together.
     * One at a time, a connection the agent met (and gave the new idle) could be closed before the close's advice was
     * in, unreported. One at a time if the batch fails, so that one class the JVM refuses leaves the others woven.
     */
    private void retransform(List<Class<?>> classes) {
        if (classes.isEmpty()) {
            return;
        }
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
            return;
        } catch (Throwable batch) {
            // each alone below, to name the one refused
        }
        for (Class<?> c : classes) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable t) {
                log.warn("could not retransform " + c.getName() + ", left as it was: " + t);
            }
        }
    }

    /** The status text where the command line reads it without loading an agent. */
    @Override
    public synchronized void refresh() {
        if (installed != this) {
            return;
        }
        publishedFollowed = context.trackedConnections();
        publishServers();
        AgentProperties.set(inst, AgentProperties.STATUS, status());
        AgentProperties.set(inst, AgentProperties.STATUS_TIME, Long.toString(System.currentTimeMillis()));
    }

    @Override
    public void closed(CloseEvent event) {
        stats.record(event);
    }

    /** On the log's thread: the endpoint is listed for the command line and registered with JMX. */
    @Override
    public void reported(EndpointReport report) {
        EndpointStats s = stats.report(report);
        publishServers();
        jmx.execute(() -> registerMBean(s));
    }

    /** The servers found, for {@code list}: each endpoint governed, then each server found and not governed. */
    private void publishServers() {
        StringBuilder servers = new StringBuilder();
        for (EndpointStats e : stats.endpoints()) {
            if (e.report != null) {
                servers.append(servers.length() == 0 ? "" : "; ").append(e.family).append(' ')
                        .append(e.report.version).append(' ').append(e.report.address);
            }
        }
        OutlastTransformer t = transformer;
        if (t != null) {
            for (String found : t.ungovernedFound()) {
                servers.append(servers.length() == 0 ? "" : "; ").append("not governed: ")
                        .append(found, 0, found.indexOf(':'));
            }
        }
        AgentProperties.set(inst, AgentProperties.ENDPOINTS, servers.toString());
    }

    private void registerMBean(EndpointStats s) {
        try {
            MBeanServer server = platformMBeanServer();
            ObjectName name = new ObjectName("io.outlast:type=Endpoint,server=" + s.family + ",port=" + s.port);
            synchronized (mbeans) {
                if (!server.isRegistered(name)) {
                    server.registerMBean(new StandardMBean(new EndpointView(s, context::config, context::drainOf), EndpointMXBean.class,
                            true), name);
                    mbeans.add(name);
                }
            }
        } catch (Exception | LinkageError e) {
            log.warn("could not register the JMX MBean of " + s.family + " port " + s.port + ": " + e);
        }
    }

    /**
     * The platform MBean server, made (if it is the first ask) with the system loader as the thread's context loader:
     * an endpoint is met on a server thread, whose context loader may not see the builder the application server
     * named ({@code javax.management.builder.initial}: Liberty's is in its kernel, not in its bundles).
     */
    private static MBeanServer platformMBeanServer() {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try {
            t.setContextClassLoader(ClassLoader.getSystemClassLoader());
            return ManagementFactory.getPlatformMBeanServer();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private void unregisterMBeans() {
        synchronized (mbeans) {
            for (ObjectName name : mbeans) {
                try {
                    ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
                } catch (Exception | LinkageError e) {
                    // gone already
                }
            }
            mbeans.clear();
        }
    }
}
