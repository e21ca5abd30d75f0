package io.outlast.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

/** Undertow 2.2 and 2.3: embedded, in a Spring Boot jar, and in WildFly (under JBoss Modules, a WAR deployed). */
class UndertowTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("undertow-2.2", "undertow-2.3", "spring-boot-undertow", "wildfly");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
    }

    /** What this suite tests of Undertow's own timers is Undertow's, wherever it runs: not WildFly's start again. */
    static List<String> withoutWildFly() {
        return apps().stream().filter(app -> !app.equals("wildfly")).toList();
    }

    /**
     * WildFly: what is its own (JBoss Modules' class loaders, its listener's configuration, its stop) premain and
     * attached on both JDKs, with connections open before the attach, and without the agent; the rest on Undertow's
     * own apps.
     */
    @Override
    String rowLeftOut(String test, String app) {
        if (!app.equals("wildfly")) {
            return null;
        }
        if (test.equals("attachExtendsAWaitingConnection")) {
            return "a wait through the attach is Undertow's timer, tested on Undertow's own apps";
        }
        // WildFly's start pauses (its services wait on each other): on a loaded machine the agent, which installs once
        // the start has calmed, came before the listener opened in three starts out of three
        return test.equals("premainGovernsConnectionsOpenBeforeItsInstall")
                ? "connections open before the install: WildFly's own start often outlasts the agent's wait for it" : null;
    }

    @ParameterizedTest(name = "{0}: a WebSocket keeps the application's idle through attach, re-attach, reset")
    @ValueSource(strings = {"undertow-2.2", "undertow-2.3"})
    void aWebSocketKeepsItsOwnIdle(String app) throws Exception {
        UpgradedConnections.assertKeepTheirOwnIdle(app);
    }

    @Override
    Family family() {
        return Family.UNDERTOW;
    }

    /** A header begun before then has no timer of Undertow's to move (docs/undertow.md): the agent leaves it. */
    @Override
    boolean governsHeadersBegunBeforeTheAgent(String app) {
        return false;
    }

    /** With both of Undertow's timeouts unset it makes no timer at all: the agent's own must do the work. */
    @ParameterizedTest(name = "{0} with no timeouts of its own")
    @MethodSource("withoutWildFly")
    void timeoutsWhereUndertowHasNone(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, "idle=2s,header=3s", "-Dapp.noTimeouts=true")) {
            Measurements.run(server, family(), 2000, 3000);
        }
    }
}
