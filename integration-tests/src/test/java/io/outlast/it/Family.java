package io.outlast.it;

/**
 * A server family as the tests see it: its name in events, what it calls an endpoint in the report, its
 * own default idle timeout (-1: none), how late its own timers may close (Jetty schedules each timeout; Tomcat's
 * poller looks once a second), and the closer of a client's reset (Jetty turns a failed read into
 * end-of-input before anything can see the failure).
 */
record Family(String name, String kind, long defaultIdleMs, long lateMs, String resetCloser) {
    static final Family JETTY = new Family("jetty", "connector", 30_000, 1000, "peer");
    static final Family TOMCAT = new Family("tomcat", "connector", 60_000, 1500, "error");
    static final Family JDK = new Family("jdk", "server", 30_000, 1000, "error");
    static final Family UNDERTOW = new Family("undertow", "listener", 60_000, 1000, "error");
    /** No idle timeout of its own (-1); the agent's sweep closes, a quarter second late at most. */
    static final Family NETTY = new Family("netty", "server", -1, 1000, "error");

    /** The family of a test-app, by its name ({@code <server>-<line>[@...]}; Reactor Netty, Vert.x and gRPC are Netty). */
    static Family of(String app) {
        return app.startsWith("jetty") ? JETTY : app.startsWith("tomcat") || app.startsWith("spring-boot-tomcat") ? TOMCAT
                : app.startsWith("undertow") ? UNDERTOW : app.startsWith("jdk") ? JDK : NETTY;
    }
}
