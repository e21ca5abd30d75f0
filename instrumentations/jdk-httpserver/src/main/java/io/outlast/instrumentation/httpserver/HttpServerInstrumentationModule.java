package io.outlast.instrumentation.httpserver;

import io.outlast.bootstrap.EventSink;
import io.outlast.bootstrap.HttpServerHooks;
import io.outlast.core.AgentContext;
import io.outlast.core.ConnectionTracker;
import io.outlast.core.HeaderDeadline;
import io.outlast.core.InstrumentationModule;
import io.outlast.core.RunningThreads;
import io.outlast.core.TypeInstrumentation;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

public final class HttpServerInstrumentationModule implements InstrumentationModule {
    @Override
    public String family() {
        return "jdk";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new ServerImplInstrumentation(), new IdleTimeoutTaskInstrumentation(),
                new ExchangeInstrumentation(), new RequestInstrumentation(), new ExchangeImplInstrumentation(),
                new HttpConnectionInstrumentation());
    }

    /** Null where the server's module could not be reached: the family then does nothing. */
    private volatile HttpServerConnections connections;

    @Override
    public void start(AgentContext context) {
        ConnectionTracker tracker = new ConnectionTracker(family(), context);
        try {
            grantModuleAccess(context.instrumentation());
        } catch (Exception e) {
            tracker.warnOnce("jdk http server: cannot reach module jdk.httpserver (" + e + "); left untouched");
            return;
        }
        connections = new HttpServerConnections(tracker);
        HttpServerHooks.set(connections);
        new HeaderDeadline(tracker, connections).start();
    }

    @Override
    public void meetRunning(RunningThreads threads) throws Exception {
        HttpServerConnections c = connections;
        if (c != null) {
            c.meetRunning(threads);
        }
    }

    @Override
    public void stop() {
        HttpServerHooks.set(null);
    }

    /**
     * The server is in module jdk.httpserver, package sun.net.httpserver, not exported. Advice inlined there
     * must read the bootstrap API's module, and the agent's own code must reach the package: both are granted
     * to exactly those modules, not to the application (Java 9+, reached reflectively for Java 8's sake).
     */
    private static void grantModuleAccess(Instrumentation inst) throws Exception {
        Class<?> moduleType;
        try {
            moduleType = Class.forName("java.lang.Module");
        } catch (ClassNotFoundException java8) {
            return;
        }
        Class<?> layerType = Class.forName("java.lang.ModuleLayer");
        Object boot = layerType.getMethod("boot").invoke(null);
        Optional<?> found = (Optional<?>) layerType.getMethod("findModule", String.class).invoke(boot, "jdk.httpserver");
        if (!found.isPresent()) {
            return;
        }
        Object server = found.get();
        Method getModule = Class.class.getMethod("getModule");
        Set<Object> reads = new HashSet<>(Collections.singleton(getModule.invoke(EventSink.class)));
        Map<String, Set<Object>> opens = new HashMap<>();
        opens.put("sun.net.httpserver", Collections.singleton(getModule.invoke(HttpServerInstrumentationModule.class)));
        Instrumentation.class.getMethod("redefineModule", moduleType, Set.class, Map.class, Map.class, Set.class,
                Map.class).invoke(inst, server, reads, new HashMap<>(), opens, new HashSet<>(), new HashMap<>());
    }
}
