package app.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The test-apps' side of the protocol with the integration tests: "READY port=N" once listening; then
 * standard-input commands until "stop" or the end of input: "load NAME" answers "LOAD NAME true|false",
 * whether the application's class loader can load class NAME; "access NAME" answers "ACCESS NAME
 * true|false", whether the application may reach the private members of class NAME; "mbean NAME ATTRIBUTE"
 * answers "MBEAN NAME ATTRIBUTE VALUE" from the platform MBean server.
 */
public final class AppControl {
    private static final java.util.Map<String, java.util.function.Function<String, String>> COMMANDS =
            new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * The console as the app found it when it first used this class: an application server may take System.in and
     * System.out over later (WildFly gives its logger the one and an empty stream for the other).
     */
    private static final java.io.PrintStream OUT = System.out;
    private static final java.io.InputStream IN = System.in;

    /** When the app announced its port ({@link System#nanoTime()}), for {@link StartGoingOn}. */
    static final String READY_PROPERTY = "app.control.ready";

    private AppControl() {
    }

    /** An app's own command: "NAME ARGS" on standard input prints what {@code handler} returns for ARGS. */
    public static void command(String name, java.util.function.Function<String, String> handler) {
        COMMANDS.put(name, handler);
    }

    /** The idle timeout the app sets on its server itself ({@code -Dapp.idle=MS}), or -1 for the server's default. */
    public static long ownIdleMs() {
        String idle = System.getProperty("app.idle");
        return idle == null ? -1 : Long.parseLong(idle);
    }

    /**
     * The TLS key the tests made ({@code -Dapp.tls.keystore=PATH}, PKCS12, and {@code -Dapp.tls.password}), ready
     * for a server's TLS setup; null when the app is to serve plain text.
     */
    public static javax.net.ssl.KeyManagerFactory tlsKeys() throws java.io.IOException,
            java.security.GeneralSecurityException {
        String path = System.getProperty("app.tls.keystore");
        if (path == null) {
            return null;
        }
        char[] password = System.getProperty("app.tls.password").toCharArray();
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.FileInputStream in = new java.io.FileInputStream(path)) {
            keys.load(in, password);
        }
        javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        return factory;
    }

    /** Whether the current thread is a virtual one (Java 21+; false before): the apps answer it in X-Virtual-Thread. */
    public static boolean onVirtualThread() {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /**
     * A WAR as a build would pack it: the servlet's class (read from the app's jar, not loaded: its API is the
     * server's, not on the app's class path) under WEB-INF/classes, mapped to every path by its web.xml.
     */
    public static void writeWar(java.nio.file.Path war, String servletClass) throws IOException {
        String webXml = "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\" metadata-complete=\"true\">"
                + "<servlet><servlet-name>app</servlet-name><servlet-class>" + servletClass + "</servlet-class></servlet>"
                + "<servlet-mapping><servlet-name>app</servlet-name><url-pattern>/*</url-pattern></servlet-mapping></web-app>";
        String name = servletClass.replace('.', '/') + ".class";
        try (java.io.OutputStream file = java.nio.file.Files.newOutputStream(war);
             java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(file);
             java.io.InputStream in = AppControl.class.getClassLoader().getResourceAsStream(name)) {
            out.putNextEntry(new java.util.jar.JarEntry("WEB-INF/web.xml"));
            out.write(webXml.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new java.util.jar.JarEntry("WEB-INF/classes/" + name));
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            out.closeEntry();
        }
    }

    public static int port() {
        return Integer.getInteger("app.port", 0);
    }

    /** Announces the port, then returns when the app is asked to stop. */
    public static void readyUntilStopped(int port, Class<?> app) throws IOException {
        System.setProperty(READY_PROPERTY, Long.toString(System.nanoTime()));
        OUT.println("READY port=" + port);
        OUT.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(IN, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
            if (line.startsWith("load ")) {
                String name = line.substring("load ".length()).trim();
                boolean found;
                try {
                    Class.forName(name, false, app.getClassLoader());
                    found = true;
                } catch (ClassNotFoundException e) {
                    found = false;
                }
                OUT.println("LOAD " + name + " " + found);
                OUT.flush();
            } else if (COMMANDS.containsKey(line.split(" ", 2)[0])) {
                String[] parts = line.split(" ", 2);
                String answer;
                try {
                    answer = COMMANDS.get(parts[0]).apply(parts.length > 1 ? parts[1].trim() : "");
                } catch (RuntimeException e) {
                    answer = "ERROR " + e;
                }
                OUT.println(answer);
                OUT.flush();
            } else if (line.startsWith("mbean ")) {
                // "mbean NAME ATTRIBUTE": what a JMX console or exporter in the application would read
                String[] parts = line.substring("mbean ".length()).trim().split(" ");
                String answer;
                try {
                    Object value = java.lang.management.ManagementFactory.getPlatformMBeanServer()
                            .getAttribute(new javax.management.ObjectName(parts[0]), parts[1]);
                    answer = String.valueOf(value);
                } catch (Exception e) {
                    answer = "ERROR " + e;
                }
                OUT.println("MBEAN " + parts[0] + " " + parts[1] + " " + answer);
                OUT.flush();
            } else if (line.startsWith("access ")) {
                String name = line.substring("access ".length()).trim();
                boolean open;
                try {
                    java.lang.reflect.Field[] fields = Class.forName(name, false, app.getClassLoader()).getDeclaredFields();
                    fields[0].setAccessible(true);
                    open = true;
                } catch (Exception | LinkageError e) {
                    open = false;
                }
                OUT.println("ACCESS " + name + " " + open);
                OUT.flush();
            }
        }
    }

    public static void stopped() {
        OUT.println("STOPPED");
        OUT.flush();
    }
}
