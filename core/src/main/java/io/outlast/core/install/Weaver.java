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
        TypeDescription type = TypePool.Default.of(locator).describe(target.typeName()).resolve();
        return target.transform(byteBuddy.redefine(type, locator)).make().getBytes();
    }
}
