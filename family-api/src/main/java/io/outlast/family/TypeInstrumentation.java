package io.outlast.family;

import net.bytebuddy.dynamic.DynamicType;

/**
 * Advice for one class, named exactly: the agent's transformer compares names before Byte Buddy is
 * ever involved, so classes that are not targets cost a hash lookup.
 */
public interface TypeInstrumentation {
    String typeName();

    DynamicType.Builder<?> transform(DynamicType.Builder<?> builder);
}
