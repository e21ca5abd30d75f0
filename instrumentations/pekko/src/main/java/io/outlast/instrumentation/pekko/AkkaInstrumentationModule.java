package io.outlast.instrumentation.pekko;

/**
 * Akka HTTP 10.2's server (on Akka 2.6), the last line under the Apache licence, of which Pekko is the fork: the same
 * internals under {@code akka.*}.
 */
public final class AkkaInstrumentationModule extends LineageModule {
    public AkkaInstrumentationModule() {
        super(Lineage.AKKA, "10.2.");
    }
}
