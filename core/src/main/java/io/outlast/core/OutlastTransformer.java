package io.outlast.core;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.concurrent.FutureTask;

import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * The only transformer the JVM calls for every class. It compares the internal class name with the
 * targets' names and returns at once for everything else; Byte Buddy, built on another thread while
 * the application starts, is asked only about the few target classes.
 */
final class OutlastTransformer implements ClassFileTransformer {
    private final Map<String, TypeInstrumentation> targets;
    private final FutureTask<ClassFileTransformer> byteBuddy;

    OutlastTransformer(Map<String, TypeInstrumentation> targets, EventLog log) {
        this.targets = targets;
        this.byteBuddy = new FutureTask<>(() -> build(targets, log));
    }

    /** Builds Byte Buddy's transformer now, on the calling thread. */
    void prepare() {
        byteBuddy.run();
    }

    /** Builds it on a thread of its own, overlapping the application's start. */
    void prepareInBackground() {
        Thread t = new Thread(byteBuddy, "outlast-init");
        t.setDaemon(true);
        t.start();
    }

    boolean targets(String className) {
        return targets.containsKey(className);
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (internalName == null || !targets.containsKey(internalName.replace('/', '.'))) {
            return null;
        }
        try {
            return byteBuddy.get().transform(loader, internalName, redefined, domain, bytes);
        } catch (Throwable t) {
            // never fail the host's class loading: the class stays as it was
            return null;
        }
    }

    private static ClassFileTransformer build(Map<String, TypeInstrumentation> targets, EventLog log) {
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .ignore(ElementMatchers.none())
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onError(String typeName, ClassLoader classLoader, JavaModule module,
                                        boolean loaded, Throwable throwable) {
                        log.warn("could not instrument " + typeName + ", left as it was: " + throwable);
                    }
                });
        for (TypeInstrumentation ti : targets.values()) {
            builder = builder.type(named(ti.typeName()))
                    .transform((b, type, loader, module, domain) -> ti.transform(b));
        }
        return builder.makeRaw();
    }
}
