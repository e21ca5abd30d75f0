package io.outlast.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.provider.Arguments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

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

    /**
     * The suites that cross every family with a protocol (TLS, HTTP/2) run every line on JDK 17 and, on JDK 25, the
     * lines given: each family's newest in each shape. Every line runs on both JDKs in its family's own suite.
     */
    /** The rows of {@code apps} named in {@code names}, each of which must be among them (a misspelt one would be lost). */
    static Stream<Arguments> only(Stream<Arguments> apps, Set<String> names) {
        List<Arguments> rows = apps.filter(a -> names.contains((String) a.get()[0])).toList();
        if (rows.size() != names.size()) {
            Set<String> unknown = new HashSet<>(names);
            rows.forEach(r -> unknown.remove((String) r.get()[0]));
            throw new IllegalArgumentException("not among the apps: " + unknown);
        }
        return rows.stream().filter(Jdk::selected);
    }

    /**
     * Whether a row's app is among those a run of some rows names ({@code -Doutlast.test.only=pekko,grizzly-4}: apps
     * whose names contain one of them); every row where none is named.
     */
    static boolean selected(Arguments row) {
        String only = System.getProperty("outlast.test.only");
        if (only == null || only.isEmpty()) {
            return true;
        }
        String app = (String) row.get()[0];
        return Arrays.stream(only.split(",")).anyMatch(app::contains);
    }

    static Stream<Arguments> onJdks(Stream<Arguments> apps, Set<String> alsoOnJdk25) {
        List<Object[]> rows = apps.map(Arguments::get).toList();
        Set<String> unknown = new HashSet<>(alsoOnJdk25);
        rows.forEach(r -> unknown.remove((String) r[0]));
        if (!unknown.isEmpty() && System.getProperty("outlast.test.only", "").isEmpty()) {
            // a misspelt line would lose its JDK 25 rows without a word
            throw new IllegalArgumentException("not among the apps: " + unknown);
        }
        return rows.stream().flatMap(args -> {
            String app = (String) args[0];
            Stream<Jdk> jdks = needsJava21(app) ? Stream.of(JDK25)
                    : alsoOnJdk25.contains(app) ? Stream.of(JDK17, JDK25) : Stream.of(JDK17);
            return jdks.map(jdk -> {
                Object[] withJdk = Arrays.copyOf(args, args.length + 1);
                withJdk[args.length] = jdk;
                return Arguments.of(withJdk);
            });
        }).filter(Jdk::selected);
    }

    /** The JDK a row runs an app on where it names none: 17, or 25 for a server that needs Java 21 (Helidon 4). */
    static Jdk forApp(String app) {
        return needsJava21(app) ? JDK25 : JDK17;
    }

    static boolean needsJava21(String app) {
        return app.startsWith("helidon");
    }

    /** The JDKs an app runs on in the family suites: both, or 25 alone where the server needs Java 21. */
    static List<Jdk> allFor(String app) {
        return needsJava21(app) ? List.of(JDK25) : all();
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
