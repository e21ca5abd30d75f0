package io.outlast.instrumentation.pekko;

/**
 * Apache Pekko and the Akka it was forked from (Akka 2.6 with Akka HTTP 10.2, under the Apache licence): one server
 * under two package roots, each its own family. Scala's mangled member names carry the root too.
 */
enum Lineage {
    PEKKO("pekko", "org.apache.pekko.", "org$apache$pekko$"),
    AKKA("akka", "akka.", "akka$");

    final String family;
    private final String root;
    private final String mangledRoot;

    Lineage(String family, String root, String mangledRoot) {
        this.family = family;
        this.root = root;
        this.mangledRoot = mangledRoot;
    }

    /** A class of this lineage, by its name under the root ("io.TcpConnection"). */
    String type(String name) {
        return root + name;
    }

    /** A member Scala named by its class's path ("stream$impl$TlsModulePhase$$tlsActor"). */
    String mangled(String name) {
        return mangledRoot + name;
    }

    /** The lineage a class of either belongs to. */
    static Lineage of(Class<?> type) {
        return type.getName().startsWith(AKKA.root) ? AKKA : PEKKO;
    }
}
