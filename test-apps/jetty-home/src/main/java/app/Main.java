package app;

import app.control.AppControl;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Manifest;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Starts the jetty-home distribution unpacked beside this jar as {@code java -jar start.jar} does, on a fresh
 * JETTY_BASE: the http, ee10-deploy and jmx modules, one connector on an ephemeral port of 127.0.0.1 (its idle
 * timeout from -Dapp.idle=MS; Jetty's default is 30 s), and ROOT.war (the servlet of {@code app.web}, every path).
 * Driven through {@link AppControl}, with "reload": the web application stopped and started again over JMX, a new
 * class loader each time.
 * The port is read over JMX.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Path jar = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest manifest = new Manifest(Main.class.getResourceAsStream("/META-INF/MANIFEST.MF"));
        Path home = jar.getParent().resolve(manifest.getMainAttributes().getValue("Jetty-Home")).normalize();
        Path base = Files.createTempDirectory("jetty-base");
        AppControl.writeWar(Files.createDirectories(base.resolve("webapps")).resolve("ROOT.war"), "app.web.OkServlet");
        List<String> ini = new ArrayList<>(List.of("--module=http,ee10-deploy,jmx", "jetty.http.host=127.0.0.1",
                "jetty.http.port=" + AppControl.port()));
        if (AppControl.ownIdleMs() > 0) {
            ini.add("jetty.http.idleTimeout=" + AppControl.ownIdleMs());
        }
        Files.write(base.resolve("start.ini"), ini);
        // start.jar is on this jar's Class-Path, as it is the jar of java -jar start.jar; it returns once the server
        // has started, its webapps deployed
        Class.forName("org.eclipse.jetty.start.Main").getMethod("main", String[].class).invoke(null,
                (Object) new String[] {"jetty.home=" + home, "jetty.base=" + base});

        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        int port = (Integer) mbeans.getAttribute(await(mbeans, "org.eclipse.jetty.server:type=serverconnector,*"),
                "localPort");
        ObjectName app = await(mbeans, "org.eclipse.jetty.ee10.webapp:type=webappcontext,*");
        AppControl.command("reload", ignored -> {
            try {
                mbeans.invoke(app, "stop", null, null);
                mbeans.invoke(app, "start", null, null);
                return "RELOADED";
            } catch (JMException e) {
                throw new IllegalStateException(e);
            }
        });
        AppControl.readyUntilStopped(port, Main.class);
        // stopped before the exit, as the other apps stop theirs: stopped by its shutdown hook, its connections' close
        // lines did not come out (the JVM's hooks run side by side)
        mbeans.invoke(await(mbeans, "org.eclipse.jetty.server:type=server,*"), "stop", null, null);
        AppControl.stopped();
        System.exit(0);
    }

    /** The one MBean of the pattern, once Jetty has registered it. */
    private static ObjectName await(MBeanServer mbeans, String pattern) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            Set<ObjectName> names = mbeans.queryNames(new ObjectName(pattern), null);
            if (names.size() == 1) {
                return names.iterator().next();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no single MBean " + pattern + ": " + mbeans.queryNames(new ObjectName(pattern), null));
    }
}
