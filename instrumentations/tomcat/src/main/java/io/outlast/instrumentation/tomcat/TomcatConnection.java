package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.ConnectionState;

import java.lang.ref.WeakReference;

/** What the agent keeps for one Tomcat connection: the common state, and Tomcat's own fields (one object). */
final class TomcatConnection extends ConnectionState {
    final TomcatApi api;
    /**
     * The endpoint's {@code maxKeepAliveRequests} when the connection opened, from which Tomcat counts its
     * {@code keepAliveLeft} down; -1 if not known. Read then: an endpoint that stops says 1.
     */
    final int maxKeepAliveRequests;
    /** Its HTTP/2 connection handler, once it speaks HTTP/2 (weakly: it refers to the connection). */
    volatile WeakReference<Object> h2Handler;
    /** HTTP/2 began while the agent was there: Tomcat armed its keep-alives with the agent's answer. */
    volatile boolean h2Governed;
    /** The HTTP/2 keep-alive deadline last seen (millis), and the keep-alive it was armed with. */
    long h2SeenDeadline = Long.MIN_VALUE;
    long h2ArmedMs = -1;
    /** When the grace after an idle close's GOAWAY ends (millis); 0 before such a close. */
    volatile long h2GraceEndMs;

    Object h2Handler() {
        WeakReference<Object> ref = h2Handler;
        return ref == null ? null : ref.get();
    }

    /** Its addresses are taken later, when its first wait is armed. */
    TomcatConnection(TomcatApi api, int maxKeepAliveRequests, String server, long openedMillis) {
        super(api, server, null, null, openedMillis);
        this.api = api;
        this.maxKeepAliveRequests = maxKeepAliveRequests;
    }
}
