package io.outlast.core.install;

import io.outlast.core.log.EventLog;
import io.outlast.core.settings.Config;
import io.outlast.family.TypeInstrumentation;

import net.bytebuddy.dynamic.DynamicType;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootstrapVisibilityTest {
    /** Here the bootstrap API is on the class path, not in the boot loader: as a module system's loader sees it. */
    private static final ClassLoader BLIND = new ClassLoader(null) {
    };

    @Test
    void aLoaderSeesTheApiOnlyWhereTheBootLoaderDefinedIt() {
        BootstrapVisibility visibility = new BootstrapVisibility();
        assertTrue(visibility.sees(null));
        assertFalse(visibility.sees(BLIND));
        // another copy of the API, in the application's loader, is not the one the agent's hooks are in
        assertFalse(visibility.sees(BootstrapVisibilityTest.class.getClassLoader()));
    }

    @Test
    void aServerClassWhoseLoaderCannotSeeTheApiIsLeftAsItIsWithOneWarning() throws Exception {
        StringWriter out = new StringWriter();
        EventLog log = new EventLog(Config.fromArguments(""), out, false);
        log.start();
        TypeInstrumentation target = new TypeInstrumentation() {
            @Override
            public String typeName() {
                return "org.example.Server";
            }

            @Override
            public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
                throw new AssertionError("woven where its advice could not resolve its hooks");
            }
        };
        OutlastTransformer transformer = new OutlastTransformer(Collections.singletonMap(target.typeName(), target),
                Collections.emptyMap(), log);
        // the installer opens the servers' weaving once the class loaders' own classes are woven
        transformer.openServers();
        assertNull(transformer.transform(BLIND, "org/example/Server", null, null, new byte[0]));
        assertNull(transformer.transform(BLIND, "org/example/Server", null, null, new byte[0]));
        log.stop();
        String text = out.toString();
        assertEquals(1, text.lines().filter(l -> l.contains("cannot see outlast's bootstrap API")).count(), text);
        assertTrue(text.contains("org.example.Server is loaded by"), text);
    }
}
