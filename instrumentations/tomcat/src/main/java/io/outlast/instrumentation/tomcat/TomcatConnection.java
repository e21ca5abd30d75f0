package io.outlast.instrumentation.tomcat;

/** What the agent keeps for one Tomcat connection beside the common {@code ConnectionState}. */
final class TomcatConnection {
    final TomcatApi api;
    /**
     * The endpoint's {@code maxKeepAliveRequests} when the connection opened, from which Tomcat counts its
     * {@code keepAliveLeft} down; -1 if not known. Read then: an endpoint that stops says 1.
     */
    final int maxKeepAliveRequests;

    TomcatConnection(TomcatApi api, int maxKeepAliveRequests) {
        this.api = api;
        this.maxKeepAliveRequests = maxKeepAliveRequests;
    }
}
