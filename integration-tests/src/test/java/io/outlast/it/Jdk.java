package io.outlast.it;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JDKs the child JVMs run on: 17 (the default here) and 25. */
record Jdk(String name, Path home) {
    static final Jdk JDK17 = new Jdk("17", Path.of(System.getProperty("outlast.test.jdk17",
            System.getProperty("java.home"))));
    static final Jdk JDK25 = new Jdk("25", Path.of(System.getProperty("outlast.test.jdk25",
            "/usr/lib/jvm/temurin-25-jdk-amd64")));

    static List<Jdk> all() {
        List<Jdk> out = new ArrayList<>();
        out.add(JDK17);
        out.add(JDK25);
        return out;
    }

    Path java() {
        return home.resolve("bin/java");
    }

    /** A missing JDK fails the run in CI (where it must be installed) and is skipped elsewhere. */
    void require() {
        if (Files.isExecutable(java())) {
            return;
        }
        String msg = "JDK " + name + " not found at " + home + " (set -Doutlast.test.jdk" + name + "=...)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(msg);
        }
        Assumptions.abort(msg);
    }

    @Override
    public String toString() {
        return "JDK " + name;
    }
}
