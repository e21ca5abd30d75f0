package io.outlast.family;

/**
 * A type instrumentation whose class its maker names: one advice for classes that differ by line (a class moved
 * package) or that are siblings (a channel and its TLS twin).
 */
public abstract class NamedTypeInstrumentation implements TypeInstrumentation {
    private final String typeName;

    protected NamedTypeInstrumentation(String typeName) {
        this.typeName = typeName;
    }

    @Override
    public final String typeName() {
        return typeName;
    }
}
