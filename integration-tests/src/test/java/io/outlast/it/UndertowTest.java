package io.outlast.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

/** Undertow 2.2 and 2.3. */
class UndertowTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("undertow-2.2", "undertow-2.3", "spring-boot-undertow");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
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
    @MethodSource("apps")
    void timeoutsWhereUndertowHasNone(String app) throws Exception {
        try (ServerProcess server = ServerProcess.start(Jdk.JDK17, app, "idle=2s,header=3s", "-Dapp.noTimeouts=true")) {
            Measurements.run(server, family(), 2000, 3000);
        }
    }
}
