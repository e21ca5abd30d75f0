package io.outlast.instrumentation.pekko;

/** Apache Pekko HTTP's server (1.x; HTTP/1.1, and HTTP/2 where enabled). */
public final class PekkoInstrumentationModule extends LineageModule {
    public PekkoInstrumentationModule() {
        super(Lineage.PEKKO, "1.0.", "1.1.", "1.2.", "1.3.");
    }
}
