package io.outlast.instrumentation.netty;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;

/** Armeria's version, from the file its jar carries (an uber-jar keeps it: one per artifact group). */
final class ArmeriaVersion {
    private static final String FILE = "META-INF/com.linecorp.armeria.versions.properties";

    private ArmeriaVersion() {
    }

    /** "1.40.0", or "unknown" where the file is gone. */
    static String of(ClassLoader loader) {
        URL url = loader == null ? null : loader.getResource(FILE);
        if (url == null) {
            return "unknown";
        }
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("armeria.version", "unknown");
    }
}
