package io.outlast.core.cli;

import io.outlast.core.settings.Config;
import io.outlast.core.settings.ConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's answers to bad input: one line naming what is wrong and what is valid, exit 2. */
class CliTest {
    private record Result(int exit, String out, String err) {
    }

    private static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(args, "outlast-agent.jar", new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void probeOfAPortThatIsNotOneIsAUsageError() {
        Result r = cli("probe", "localhost:notaport");
        assertEquals(2, r.exit, r.err);
        assertTrue(r.err.contains("'notaport' in localhost:notaport is not a port"), r.err);
        assertFalse(r.err.contains("\tat "), "a stack trace: " + r.err);
        assertEquals(2, cli("probe", "localhost:70000").exit);
        assertEquals(2, cli("probe", "localhost").exit);
    }

    @Test
    void probeNamesTheProxyValueAndThePresetsAsAttachDoes() throws ConfigException {
        Result r = cli("probe", "localhost:8080", "--proxy", "aws-nope");
        assertEquals(2, r.exit, r.err);
        String attach = "";
        try {
            Config.fromArguments("proxy=aws-nope");
        } catch (ConfigException e) {
            attach = e.getMessage();
        }
        assertTrue(r.err.contains(attach), r.err + " / " + attach);
        assertTrue(r.err.contains("aws-nope") && r.err.contains("aws-alb, "), r.err);
    }

    @Test
    void probeOptionWithoutItsValue() {
        Result r = cli("probe", "localhost:8080", "--proxy");
        assertEquals(2, r.exit, r.err);
        assertTrue(r.err.contains("--proxy needs a value") && r.err.contains("aws-alb"), r.err);
        assertFalse(r.err.contains("unknown option"), r.err);
        Result max = cli("probe", "localhost:8080", "--max", "--proxy", "60s");
        assertEquals(2, max.exit, max.err);
        assertTrue(max.err.contains("--max needs a value"), max.err);
    }

    /** The attach API would signal a process that is not a JVM and wait ~10 s for it: its memory map tells. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aProcessThatIsNotAJvmIsToldApartBeforeTheAttachApi() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            assertEquals(Boolean.FALSE, TargetJvm.runsAJvm(Paths.get("/proc", Long.toString(sleep.pid()))));
            assertEquals(Boolean.TRUE, TargetJvm.runsAJvm(Paths.get("/proc/self")));
            Result r = cli("attach", Long.toString(sleep.pid()), "idle=3s");
            assertEquals(1, r.exit, r.err);
            assertTrue(r.err.contains("is not a Java VM (sleep)"), r.err);
            assertTrue(sleep.isAlive(), "the process was signalled to death");
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void usageWithoutACommand() {
        Result r = cli();
        assertEquals(2, r.exit);
        assertTrue(r.out.contains("usage:"), r.out);
    }
}
