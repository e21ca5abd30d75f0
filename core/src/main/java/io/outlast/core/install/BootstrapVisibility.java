package io.outlast.core.install;

import io.outlast.family.TypeInstrumentation;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The bootstrap API seen from every class loader that serves: advice inlined into a server's class resolves
 * {@code io.outlast.bootstrap.*} through that class's loader. A module system's loader does not ask the JVM's
 * loaders for a package it was not told of (JBoss Modules, under WildFly and JBoss EAP, unless the package is in
 * {@code jboss.modules.system.pkgs}), so the agent makes its loader find that one package in the bootstrap loader,
 * as the property would, at premain and at an attach alike (the property is read once, at JBoss Modules' start).
 * A loader that still cannot see the API gets no advice, with one warning: advice that cannot resolve its hooks
 * would leave the server ungoverned in silence, and throw on every call.
 */
final class BootstrapVisibility {
    static final String PACKAGE = "io.outlast.bootstrap.";
    private static final String PROBE = PACKAGE + "EventSink";

    private final Map<ClassLoader, Boolean> seen = Collections.synchronizedMap(new WeakHashMap<>());

    /** The loaders' classes to weave before any server's, in a retransformation of their own. */
    static List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new JBossModulesInstrumentation(), new EquinoxInstrumentation());
    }

    static boolean isLoaderTarget(String className) {
        return JBossModulesInstrumentation.TYPE.equals(className) || EquinoxInstrumentation.TYPE.equals(className);
    }

    /** Whether advice inlined into a class of {@code loader} resolves the bootstrap API (asked once per loader). */
    boolean sees(ClassLoader loader) {
        if (loader == null) {
            return true;
        }
        Boolean known = seen.get(loader);
        if (known == null) {
            known = resolves(loader);
            seen.put(loader, known);
        }
        return known;
    }

    private static boolean resolves(ClassLoader loader) {
        try {
            return Class.forName(PROBE, false, loader).getClassLoader() == null;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Every load through a JBoss Modules loader passes its {@code performLoadClass}, in 1.x and 2.x. */
    static final class JBossModulesInstrumentation implements TypeInstrumentation {
        static final String TYPE = "org.jboss.modules.ConcurrentClassLoader";

        @Override
        public String typeName() {
            return TYPE;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
            return builder.visit(Advice.to(PerformLoadClassAdvice.class).on(named("performLoadClass")
                    .and(takesArguments(3)).and(takesArgument(0, String.class)).and(returns(Class.class))));
        }
    }

    public static final class PerformLoadClassAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static Class<?> enter(@Advice.Argument(0) String name) throws ClassNotFoundException {
            return name != null && name.startsWith("io.outlast.bootstrap.") ? Class.forName(name, false, null) : null;
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Enter Class<?> fromBootstrap, @Advice.Return(readOnly = false) Class<?> loaded) {
            if (fromBootstrap != null) {
                loaded = fromBootstrap;
            }
        }
    }

    /**
     * Equinox, the OSGi framework under Open Liberty (and Eclipse): a bundle's loader asks its parent only for the
     * packages of {@code org.osgi.framework.bootdelegation}, which the framework reads once at its launch. The
     * container's own check says yes to the API's package too, at premain and at an attach alike.
     */
    static final class EquinoxInstrumentation implements TypeInstrumentation {
        static final String TYPE = "org.eclipse.osgi.internal.framework.EquinoxContainer";

        @Override
        public String typeName() {
            return TYPE;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
            return builder.visit(Advice.to(BootDelegationAdvice.class).on(named("isBootDelegationPackage")
                    .and(takesArguments(1)).and(takesArgument(0, String.class)).and(returns(boolean.class))));
        }
    }

    public static final class BootDelegationAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Argument(0) String packageName, @Advice.Return(readOnly = false) boolean delegated) {
            if (!delegated && "io.outlast.bootstrap".equals(packageName)) {
                delegated = true;
            }
        }
    }
}
