package io.outlast.it;

/**
 * A server family as the tests see it: its name in events, its own default idle timeout, how late its own
 * timers may close (Jetty schedules each timeout; Tomcat's poller looks once a second), and the closer of
 * a client's reset (Jetty turns a failed read into end-of-input before anything can see the failure).
 */
record Family(String name, long defaultIdleMs, long lateMs, String resetCloser) {
    static final Family JETTY = new Family("jetty", 30_000, 1000, "peer");
    static final Family TOMCAT = new Family("tomcat", 60_000, 1500, "error");
}
