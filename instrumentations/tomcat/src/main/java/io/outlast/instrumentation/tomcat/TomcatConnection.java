package io.outlast.instrumentation.tomcat;

import io.outlast.family.SweptConnectionState;

import java.lang.ref.WeakReference;

/**
 * What the agent keeps for one Tomcat connection: the common state, and Tomcat's own fields (one object). What only
 * HTTP/2 needs is in an object of its own, made when the connection speaks it.
 */
final class TomcatConnection extends SweptConnectionState {
    /**
     * The endpoint's {@code maxKeepAliveRequests} when the connection opened, from which Tomcat counts its
     * {@code keepAliveLeft} down; -1 if not known. Read then: an endpoint that stops says 1.
     */
    final int maxKeepAliveRequests;
    private volatile Http2 h2;

    /** Its addresses are taken later, when its first wait is armed. */
    TomcatConnection(TomcatApi api, int maxKeepAliveRequests, String server, long openedMillis) {
        super(api, server, null, null, openedMillis);
        this.maxKeepAliveRequests = maxKeepAliveRequests;
    }

    TomcatApi api() {
        return (TomcatApi) support;
    }

    /** Its HTTP/2 state, made now if it has none: it speaks HTTP/2 with this connection handler. */
    Http2 h2(Object handler) {
        Http2 h = h2;
        if (h == null) {
            synchronized (this) {
                h = h2;
                if (h == null) {
                    h = new Http2(handler);
                    h2 = h;
                }
            }
        }
        return h;
    }

    /** Its HTTP/2 state, or null: not known to speak HTTP/2. */
    Http2 h2() {
        return h2;
    }

    /** Its HTTP/2 connection handler, or null. */
    Object h2Handler() {
        Http2 h = h2;
        return h == null ? null : h.handler.get();
    }

    static final class Http2 {
        /** Weakly: it refers to the connection. */
        final WeakReference<Object> handler;
        /** HTTP/2 began while the agent was there: Tomcat armed its keep-alives with the agent's answer. */
        volatile boolean governed;
        /** The keep-alive deadline last seen (millis), and the keep-alive it was armed with. */
        long seenDeadline = Long.MIN_VALUE;
        long armedMs = -1;
        /** When the grace after an idle close's GOAWAY ends (millis); 0 before such a close. */
        volatile long graceEndMs;

        Http2(Object handler) {
            this.handler = new WeakReference<>(handler);
        }
    }
}
