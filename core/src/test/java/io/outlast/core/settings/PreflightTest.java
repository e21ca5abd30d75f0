package io.outlast.core.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What premain says before the application's start ends: the same lines the installer would. */
class PreflightTest {
    /** Without this JVM's own properties and environment: a build passes it properties of its own. */
    private static String problem(String args) {
        return Preflight.problem(args, Collections.emptyMap(), Collections.emptyMap());
    }

    @Test
    void goodSettingsGoOn(@TempDir Path dir) {
        assertNull(problem("proxy=aws-alb,log=" + dir.resolve("closes.log")));
        assertNull(problem("idle=65s,log=stderr"));
    }

    @Test
    void aBadSettingGetsItsErrorLine() {
        String line = problem("idle=65");
        assertTrue(line.startsWith("outlast: error: ") && line.contains("idle=65")
                && line.endsWith("; outlast changes nothing"), line);
    }

    @Test
    void disabledSaysSo() {
        assertEquals(Preflight.DISABLED, problem("proxy=aws-alb,enabled=false"));
    }

    @Test
    void aLogThatCannotBeOpenedIsABadSetting(@TempDir Path dir) {
        String log = dir.resolve("no-such-dir").resolve("closes.log").toString();
        String line = problem("proxy=aws-alb,log=" + log);
        assertTrue(line.startsWith("outlast: error: bad setting log=" + log + ": cannot open it"), line);
    }
}
