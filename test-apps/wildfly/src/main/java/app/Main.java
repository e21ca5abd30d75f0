package app;

import app.control.AppControl;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Starts the WildFly distribution unpacked beside this jar as {@code bin/standalone.sh} does (JBoss Modules'
 * {@code Main} with the {@code org.jboss.as.standalone} module, {@code jboss.modules.system.pkgs} as
 * {@code standalone.conf} sets it, nothing of outlast's), on a fresh server base: its standalone.xml with every
 * socket on an ephemeral port of 127.0.0.1, and ROOT.war (the servlet of {@code app.web}) deployed at "/".
 * -Dapp.idle=MS sets the HTTP listener's {@code no-request-timeout} (WildFly's default: 60 s); -Dapp.tls.keystore
 * serves TLS only, from the HTTPS listener with the tests' key; else the HTTP listener alone. The port is read over
 * JMX. Driven through {@link AppControl}; "stop" stops the server's services as its shutdown hook would, then exits.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        Path jar = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest manifest = new Manifest(Main.class.getResourceAsStream("/META-INF/MANIFEST.MF"));
        Path home = jar.getParent().resolve(manifest.getMainAttributes().getValue("WildFly-Home")).normalize();
        boolean tls = AppControl.tlsKeys() != null;
        Path base = Files.createTempDirectory("wildfly-base");
        prepareBase(home, base, tls);

        System.setProperty("jboss.home.dir", home.toString());
        System.setProperty("jboss.server.base.dir", base.toString());
        System.setProperty("jboss.modules.system.pkgs", "org.jboss.byteman");
        System.setProperty("java.awt.headless", "true");
        System.setProperty("org.jboss.boot.log.file", base.resolve("log/boot.log").toString());
        System.setProperty("logging.configuration", base.resolve("configuration/logging.properties").toUri().toString());
        // jboss-modules.jar is on this jar's Class-Path, as on standalone.sh's (-jar jboss-modules.jar)
        Class.forName("org.jboss.modules.Main").getMethod("main", String[].class).invoke(null, (Object) new String[] {
                "-mp", home.resolve("modules").toString(), "org.jboss.as.standalone",
                "-Djboss.home.dir=" + home, "-Djboss.server.base.dir=" + base});

        int port = awaitRunning(ManagementFactory.getPlatformMBeanServer());
        AppControl.readyUntilStopped(port, Main.class);
        stop();
        AppControl.stopped();
        System.exit(0);
    }

    /**
     * WildFly's services stopped as its shutdown hook stops them (the container's shutdown, then its termination),
     * but before the exit, as the other apps stop theirs: in the JVM's hooks, a server's stop and outlast's last lines
     * run side by side (jetty-home's close lines were lost so).
     */
    private static void stop() throws Exception {
        Object loader = Class.forName("org.jboss.modules.Module").getMethod("getBootModuleLoader").invoke(null);
        Object module = loader.getClass().getMethod("loadModule", String.class).invoke(loader, "org.jboss.as.server");
        ClassLoader server = (ClassLoader) module.getClass().getMethod("getClassLoader").invoke(module);
        Object container = Class.forName("org.jboss.as.server.CurrentServiceContainer", true, server)
                .getMethod("getServiceContainer").invoke(null);
        Class<?> type = Class.forName("org.jboss.msc.service.ServiceContainer", false, container.getClass().getClassLoader());
        type.getMethod("shutdown").invoke(container);
        type.getMethod("awaitTermination").invoke(container);
    }

    /**
     * The port of the one listener, once the server runs (its deployments made at boot). WildFly's model gives a
     * socket binding's configured port (0 here) as its bound port; XNIO names each server channel's address.
     */
    private static int awaitRunning(MBeanServer mbeans) throws Exception {
        ObjectName server = new ObjectName("jboss.as:management-root=server");
        ObjectName channels = new ObjectName("org.xnio:type=Xnio,provider=\"nio\",worker=\"default\",address=*");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            try {
                Set<ObjectName> bound = mbeans.queryNames(channels, null);
                if ("running".equals(mbeans.getAttribute(server, "serverState")) && bound.size() == 1) {
                    String address = ObjectName.unquote(bound.iterator().next().getKeyProperty("address"));
                    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
                }
            } catch (JMException notYet) {
                // the model is not registered yet
            }
        }
        throw new IllegalStateException("WildFly did not start its listener in 2 minutes");
    }

    private static void prepareBase(Path home, Path base, boolean tls) throws IOException {
        Path conf = Files.createDirectories(base.resolve("configuration"));
        try (Stream<Path> files = Files.list(home.resolve("standalone/configuration"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, conf.resolve(f.getFileName()));
                }
            }
        }
        String xml = Files.readString(conf.resolve("standalone.xml"));
        // every socket ephemeral on 127.0.0.1: test JVMs run side by side
        xml = xml.replaceAll("(<socket-binding name=\"[^\"]+\"(?: interface=\"[^\"]+\")?) port=\"[^\"]*\"", "$1 port=\"0\"");
        xml = xml.replace("${jboss.bind.address:127.0.0.1}", "127.0.0.1")
                .replace("${jboss.bind.address.management:127.0.0.1}", "127.0.0.1");
        // the WAR at "/", not the welcome page
        xml = require(xml, "<location name=\"/\" handler=\"welcome-content\"/>", "");
        // WildFly's no-request-timeout is 60 s unless set
        String idle = AppControl.ownIdleMs() > 0 ? Long.toString(AppControl.ownIdleMs()) : null;
        String listener = "<http-listener name=\"default\" socket-binding=\"http\" redirect-socket=\"https\" enable-http2=\"true\"/>";
        String httpsListener = "<https-listener name=\"https\" socket-binding=\"https\" ssl-context=\"applicationSSC\" enable-http2=\"true\"/>";
        if (tls) {
            xml = require(xml, listener, "");
            // remoting's HTTP upgrade needs a listener: the HTTPS one, once the HTTP one is gone
            xml = require(xml, "connector-ref=\"default\"", "connector-ref=\"https\"");
            xml = require(xml, "<implementation type=\"JKS\"/>\n                        <file path=\"application.keystore\" relative-to=\"jboss.server.config.dir\"/>",
                    "<implementation type=\"PKCS12\"/>\n                        <file path=\"" + System.getProperty("app.tls.keystore") + "\"/>");
            xml = xml.replace("<credential-reference clear-text=\"password\"/>",
                    "<credential-reference clear-text=\"" + System.getProperty("app.tls.password") + "\"/>");
            xml = require(xml, " generate-self-signed-certificate-host=\"localhost\"", "");
            if (idle != null) {
                xml = require(xml, "<https-listener name=\"https\"", "<https-listener name=\"https\" no-request-timeout=\"" + idle + "\"");
            }
        } else {
            xml = require(xml, httpsListener, "");
            if (idle != null) {
                xml = require(xml, listener, listener.replace("/>", " no-request-timeout=\"" + idle + "\"/>"));
            }
        }
        Files.writeString(conf.resolve("standalone.xml"), xml);
        for (String dir : new String[] {"data", "log", "tmp"}) {
            Files.createDirectories(base.resolve(dir));
        }
        AppControl.writeWar(Files.createDirectories(base.resolve("deployments")).resolve("ROOT.war"), "app.web.OkServlet");
    }

    private static String require(String xml, String what, String with) {
        if (!xml.contains(what)) {
            throw new IllegalStateException("standalone.xml has no " + what);
        }
        return xml.replace(what, with);
    }

}
