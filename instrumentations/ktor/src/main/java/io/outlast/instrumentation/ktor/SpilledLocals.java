package io.outlast.instrumentation.ktor;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The object variables Kotlin keeps in a suspended function's continuation between its suspensions ({@code L$0},
 * {@code L$1}...): where a resumed call, which is passed none of its arguments again, still has them.
 */
final class SpilledLocals {
    private static final Field[] NONE = new Field[0];
    private static final ClassValue<Field[]> FIELDS = new ClassValue<Field[]>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            try {
                List<Field> found = new ArrayList<>();
                for (Field f : type.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("L$") && f.getType() == Object.class) {
                        f.setAccessible(true);
                        found.add(f);
                    }
                }
                return found.toArray(NONE);
            } catch (RuntimeException | LinkageError e) {
                return NONE;
            }
        }
    };

    private SpilledLocals() {
    }

    /** The continuation's object slots, none if it has none or they cannot be read. */
    static Field[] of(Class<?> continuationType) {
        return FIELDS.get(continuationType);
    }
}
