package io.outlast.core.install;

import io.outlast.family.TypeInstrumentation;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.VisibilityBridgeStrategy;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * Inlines a type instrumentation's advice into a class file. Byte Buddy's {@code AgentBuilder} is not
 * used: the agent matches by name itself, and the builder's set-up probes {@code sun.misc.Unsafe}, which
 * JDK 24+ reports on the application's console.
 */
final class Weaver {
    /** The class format is frozen (no new fields, methods or bridges), so retransformation can apply it too. */
    private final ByteBuddy byteBuddy = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(Implementation.Context.Disabled.Factory.INSTANCE)
            .with(InstrumentedType.Factory.Default.FROZEN)
            .with(VisibilityBridgeStrategy.Default.NEVER);

    byte[] weave(TypeInstrumentation target, ClassLoader loader, byte[] bytes) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(target.typeName(), bytes),
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
        TypeDescription type = new LoadedFallbackPool(locator, loader, target.typeName()).describe(target.typeName()).resolve();
        return target.transform(byteBuddy.redefine(type, locator)).make().getBytes();
    }

    /**
     * Class files first, as the server's loader gives them. Another agent may have added interfaces defined in
     * memory, with no class file anywhere (OpenTelemetry's {@code VirtualFieldAccessor$...}, injected into the
     * boot loader): a type no class file describes is described from its class, which the JVM loads before the
     * class that implements it anyway. Never the type being woven: it is being defined.
     */
    static final class LoadedFallbackPool extends TypePool.Default {
        private final ClassLoader loader;
        private final String woven;

        LoadedFallbackPool(ClassFileLocator locator, ClassLoader loader, String woven) {
            super(new TypePool.CacheProvider.Simple(), locator, TypePool.Default.ReaderMode.FAST);
            this.loader = loader;
            this.woven = woven;
        }

        @Override
        protected Resolution doDescribe(String name) {
            Resolution fromFile = super.doDescribe(name);
            if (fromFile.isResolved() || name.equals(woven)) {
                return fromFile;
            }
            try {
                return new Resolution.Simple(TypeDescription.ForLoadedType.of(Class.forName(name, false, loader)));
            } catch (ClassNotFoundException | LinkageError e) {
                return fromFile;
            }
        }
    }
}
