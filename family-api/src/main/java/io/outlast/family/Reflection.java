package io.outlast.family;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * How a family reaches a server it cannot link against: its classes from the server's own loader, never
 * initialized here; its members looked up once, in the family's {@link ApiCache}; and, for the walk from a
 * running thread to its server, a field's value read once by name.
 */
public final class Reflection {
    private Reflection() {
    }

    /** The class as the server's loader sees it, not initialized. */
    public static Class<?> load(ClassLoader loader, String name) throws ClassNotFoundException {
        return Class.forName(name, false, loader);
    }

    /** A private member, made accessible: the server's module must open its package to the agent. */
    public static <T extends AccessibleObject> T accessible(T member) {
        member.setAccessible(true);
        return member;
    }

    /** A declared field, accessible. */
    public static Field field(Class<?> type, String name) throws NoSuchFieldException {
        return accessible(type.getDeclaredField(name));
    }

    /** A declared method, accessible. */
    public static Method method(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        return accessible(type.getDeclaredMethod(name, parameters));
    }

    /** The first of these public methods without parameters that the type has: a name that changed between lines. */
    public static Method first(Class<?> type, String... names) throws NoSuchMethodException {
        for (String n : names) {
            try {
                return type.getMethod(n);
            } catch (NoSuchMethodException e) {
                // try the next name
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + names[0]);
    }

    /** The object an inner class instance belongs to ({@code this$0}), or null. */
    public static Object outer(Object inner) {
        try {
            return read(inner, "this$0");
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A field's value, declared by the object's class or one above it: the one step of every path from a
     * thread to its server ({@link RunningThreads}). A field not there means a version the family does not know: thrown, for the family to say.
     */
    public static Object read(Object o, String name) throws ReflectiveOperationException {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // declared further up, if at all
            }
        }
        throw new NoSuchFieldException(o.getClass().getName() + "." + name);
    }
}
