package io.outlast.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

/**
 * Tomcat 9.0, 10.1 and 11.0 embedded (application class loader), on NIO and, where the line has it, NIO2;
 * 10.1 inside a Spring Boot executable jar run with java -jar (Spring Boot's loader); and the standalone
 * 10.1 distribution (Tomcat's common loader).
 */
class TomcatTest extends ServerFamilyTest {
    static List<String> apps() {
        return List.of("tomcat-9.0", "tomcat-10.1", "tomcat-11.0", "spring-boot-tomcat", "tomcat-standalone",
                "tomcat-9.0@nio2", "tomcat-10.1@nio2");
    }

    static Stream<Arguments> appsOnJdks() {
        return onJdks(apps());
    }

    @ParameterizedTest(name = "{0}: a WebSocket keeps the application's idle through attach, re-attach, reset")
    @ValueSource(strings = {"tomcat-10.1", "tomcat-11.0"})
    void aWebSocketKeepsItsOwnIdle(String app) throws Exception {
        UpgradedConnections.assertKeepTheirOwnIdle(app);
    }

    @Override
    Family family() {
        return Family.TOMCAT;
    }

    /** A pending NIO2 read keeps the timeout it was issued with (docs/tomcat.md): once, until its next request. */
    @Override
    boolean governsWaitsBegunBeforeTheAgent(String app) {
        return !app.endsWith("@nio2");
    }

    /** The same for a NIO2 read pending in the middle of a header. */
    @Override
    boolean governsHeadersBegunBeforeTheAgent(String app) {
        return !app.endsWith("@nio2");
    }
}
