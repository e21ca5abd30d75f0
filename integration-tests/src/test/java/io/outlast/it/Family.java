package io.outlast.it;

/**
 * A server family as the tests see it: its name in events, its own default idle timeout, and how late
 * its own timers may close (Jetty schedules each timeout; Tomcat's poller looks once a second).
 */
record Family(String name, long defaultIdleMs, long lateMs) {
    static final Family JETTY = new Family("jetty", 30_000, 1000);
    static final Family TOMCAT = new Family("tomcat", 60_000, 1500);
}
