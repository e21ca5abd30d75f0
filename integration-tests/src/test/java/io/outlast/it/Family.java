package io.outlast.it;

/**
 * A server family as the tests see it: its name in events, what it calls an endpoint in the report, its
 * own default idle timeout (-1: none), how late its own timers may close (Jetty schedules each timeout; Tomcat's
 * poller looks once a second), and the closer of a client's reset (Jetty turns a failed read into
 * end-of-input before anything can see the failure), and whether it closes a connection once it has answered a
 * {@code Connection: close} (Helidon 4.5 says it will and keeps reading: the client closes, as a proxy does).
 */
record Family(String name, String kind, long defaultIdleMs, long lateMs, String resetCloser, boolean closesWhenAsked) {
    static final Family JETTY = new Family("jetty", "connector", 30_000, 1000, "peer", true);
    static final Family TOMCAT = new Family("tomcat", "connector", 60_000, 1500, "error", true);
    static final Family JDK = new Family("jdk", "server", 30_000, 1000, "error", true);
    static final Family UNDERTOW = new Family("undertow", "listener", 60_000, 1000, "error", true);
    /** No idle timeout of its own (-1); the agent's sweep closes, a quarter second late at most. */
    static final Family NETTY = new Family("netty", "server", -1, 1000, "error", true);
    /**
     * Helidon's own idle (5 min) is checked by a timer (every 100 ms in the test-app) against a clock that ticks
     * once a second: its own closes come up to 2 s late; the agent's sweep closes a quarter second late at most.
     */
    static final Family HELIDON = new Family("helidon", "server", 300_000, 2500, "error", false);
    /**
     * Grizzly's idle filter looks once a second: its closes (its own and the agent's idle alike) come up to a second
     * late. It reads a reset as the end of the stream.
     */
    static final Family GRIZZLY = new Family("grizzly", "listener", 30_000, 1500, "peer", true);
    /**
     * Pekko HTTP's idle stage looks once a second: a close comes up to a second after its deadline, and up to a second
     * more on two loaded cores (an HTTP/2 GOAWAY 1508 ms late once, timed from its request, in a clean-clone run).
     */
    static final Family PEKKO = new Family("pekko", "server", 60_000, 2000, "error", true);
    /** Akka HTTP 10.2, of which Pekko is the fork: the same. */
    static final Family AKKA = new Family("akka", "server", 60_000, 2000, "error", true);

    /**
     * Ktor's CIO engine: its own idle is a timer per wait (precise); the agent's sweep, with a header deadline, looks
     * every 100 ms. It reads a reset as the end of the input.
     */
    static final Family KTOR = new Family("ktor", "cio server", 45_000, 1000, "peer", true);

    /**
     * Open Liberty: its own timeouts are those of the channel framework's reads, checked by its timer; the agent gives
     * each read its timeout, so its closes come as Liberty's own do. A reset fails the read: an error.
     */
    static final Family LIBERTY = new Family("liberty", "endpoint", 30_000, 1500, "error", true);

    /**
     * How late a header deadline's close may come: the agent's own timers, or the server's precise ones, close within a
     * second; Liberty's reads are timed against its clock that ticks once a second, with selects of a second at least.
     */
    long headerLateMs() {
        return this == LIBERTY ? lateMs : Measurements.HEADER_LATE_MS;
    }

    /** The family of a test-app, by its name ({@code <server>-<line>[@...]}; Reactor Netty, Vert.x and gRPC are Netty). */
    static Family of(String app) {
        return app.startsWith("jetty") || app.startsWith("spring-boot-jetty") || app.startsWith("dropwizard") ? JETTY
                : app.startsWith("tomcat") || app.startsWith("spring-boot-tomcat") ? TOMCAT
                : app.startsWith("undertow") || app.startsWith("spring-boot-undertow") || app.startsWith("wildfly") ? UNDERTOW : app.startsWith("jdk") ? JDK
                : app.startsWith("helidon") ? HELIDON : app.startsWith("grizzly") ? GRIZZLY
                : app.startsWith("openliberty") ? LIBERTY : app.startsWith("ktor") && app.contains("@cio") ? KTOR : app.startsWith("pekko") ? PEKKO : app.startsWith("akka") ? AKKA : NETTY;
    }
}
