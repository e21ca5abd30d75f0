package app;

import app.control.AppControl;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Starts the standalone distribution unpacked beside this jar (its CATALINA_HOME), with a fresh
 * CATALINA_BASE: one HTTP/1.1 connector on an ephemeral port (keepAliveTimeout from -Dapp.idle=MS), a static ROOT
 * answering "ok", and app.war (the servlet of {@code app.web}) at /app. Driven through {@link AppControl}, with
 * "reload": /app reloaded as Tomcat's manager reloads it, a new class loader each time. The port is read from
 * Tomcat's own MBean.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Path jar = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest manifest = new Manifest(Main.class.getResourceAsStream("/META-INF/MANIFEST.MF"));
        Path home = jar.getParent().resolve(manifest.getMainAttributes().getValue("Catalina-Home"));
        Path base = Files.createTempDirectory("catalina-base");
        prepareBase(home, base);
        System.setProperty("catalina.home", home.toString());
        System.setProperty("catalina.base", base.toString());

        Class<?> bootstrapClass = Class.forName("org.apache.catalina.startup.Bootstrap");
        Object bootstrap = bootstrapClass.getConstructor().newInstance();
        bootstrapClass.getMethod("init").invoke(bootstrap);
        bootstrapClass.getMethod("setAwait", boolean.class).invoke(bootstrap, false);
        bootstrapClass.getMethod("start").invoke(bootstrap);

        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName connector = mbeans.queryNames(new ObjectName("Catalina:type=Connector,*"), null).iterator().next();
        int port = (Integer) mbeans.getAttribute(connector, "localPort");
        ObjectName app = new ObjectName("Catalina:j2eeType=WebModule,name=//localhost/app,J2EEApplication=none,"
                + "J2EEServer=none");
        AppControl.command("reload", ignored -> {
            try {
                mbeans.invoke(app, "reload", null, null);
                return "RELOADED";
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        AppControl.readyUntilStopped(port, Main.class);
        bootstrapClass.getMethod("stop").invoke(bootstrap);
        AppControl.stopped();
    }

    private static void prepareBase(Path home, Path base) throws IOException {
        Path conf = Files.createDirectories(base.resolve("conf"));
        try (Stream<Path> files = Files.list(home.resolve("conf"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, conf.resolve(f.getFileName()));
                }
            }
        }
        long idle = AppControl.ownIdleMs();
        Files.write(conf.resolve("server.xml"), ("<Server port=\"-1\" shutdown=\"SHUTDOWN\">\n"
                + "  <Service name=\"Catalina\">\n"
                + "    <Connector port=\"" + AppControl.port() + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\""
                + (idle > 0 ? " keepAliveTimeout=\"" + idle + "\"" : "") + "/>\n"
                + "    <Engine name=\"Catalina\" defaultHost=\"localhost\">\n"
                + "      <Host name=\"localhost\" appBase=\"webapps\" unpackWARs=\"false\" autoDeploy=\"false\"/>\n"
                + "    </Engine>\n"
                + "  </Service>\n"
                + "</Server>\n").getBytes(StandardCharsets.UTF_8));
        Path root = Files.createDirectories(base.resolve("webapps/ROOT"));
        Files.write(root.resolve("index.html"), "ok\n".getBytes(StandardCharsets.US_ASCII));
        AppControl.writeWar(base.resolve("webapps/app.war"), "app.web.OkServlet");
        for (String dir : new String[] {"logs", "temp", "work"}) {
            Files.createDirectories(base.resolve(dir));
        }
    }
}
