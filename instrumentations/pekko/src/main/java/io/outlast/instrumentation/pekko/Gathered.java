package io.outlast.instrumentation.pekko;

/** The stages of one connection's graph (or of the protocol it chose), as one materialization made them. */
final class Gathered {
    Object tcpActor;
    Object tcpLogic;
    Object parser;
    Object idleLogic;
    Object tlsActor;
    Object demux;
    boolean http2Binding;

    /** A stage of the graph, whose package says whose it is (Pekko's or Akka's); null if none was gathered. */
    Object anyStage() {
        return tcpLogic != null ? tcpLogic : parser != null ? parser : demux != null ? demux : idleLogic;
    }
}
