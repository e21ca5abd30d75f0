package io.outlast.core.install;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Servers outlast finds but does not govern, each by a class it loads only to serve (not to be a client), with where
 * its own idle is set: named once, in the log, {@code status} and {@code list}, so that an application on one is not
 * left believing it governed (docs/operators.md).
 */
final class UngovernedServers {
    private static final Map<String, String> BY_CLASS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("org.apache.hc.core5.http.impl.bootstrap.HttpServer",
                "Apache HttpCore 5 server: its own idle (SocketConfig soTimeout, 3 min by default)");
        m.put("org.apache.hc.core5.http.impl.bootstrap.HttpAsyncServer",
                "Apache HttpCore 5 async server: its own idle (IOReactorConfig soTimeout, none by default)");
        BY_CLASS = Collections.unmodifiableMap(m);
    }

    private UngovernedServers() {
    }

    /** What to say of a server this class belongs to ("name: its own idle (where it is set)"), or null. */
    static String describe(String className) {
        return BY_CLASS.get(className);
    }
}
