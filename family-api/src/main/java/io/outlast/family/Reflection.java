package io.outlast.family;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a family reaches a server it cannot link against: its classes from the server's own loader, never
 * initialized here; its members looked up once, in the family's {@link ApiCache}; and, for the walk from a
 * running thread to its server, a field's value read by name.
 */
public final class Reflection {
    /**
     * The fields read by name, per class: a lookup by name throws for each class up the hierarchy that does not
     * declare it (a dozen exceptions per connection an attach meets, where versions name a field differently).
     */
    private static final ClassValue<Map<String, Object>> FIELDS = new ClassValue<Map<String, Object>>() {
        @Override
        protected Map<String, Object> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };
    private static final Object NO_FIELD = new Object();

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

    /** A declared field, accessible; one missing is named with its class, for the warning that says so. */
    public static Field field(Class<?> type, String name) throws NoSuchFieldException {
        try {
            return accessible(type.getDeclaredField(name));
        } catch (NoSuchFieldException e) {
            throw new NoSuchFieldException(type.getName() + "." + name);
        }
    }

    /** A declared method, accessible; one missing is named with its class. */
    public static Method method(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        try {
            return accessible(type.getDeclaredMethod(name, parameters));
        } catch (NoSuchMethodException e) {
            throw new NoSuchMethodException(type.getName() + "." + name);
        }
    }

    /** A public method that only some of a server's versions have, or null where this one lacks it. */
    public static Method optional(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * A public method without parameters, looked up once per class that asks (null for a class without it): for
     * objects of many classes, each resolved at its first call.
     */
    public static ClassValue<Method> publicMethodPerClass(String name) {
        return new ClassValue<Method>() {
            @Override
            protected Method computeValue(Class<?> type) {
                return optional(type, name);
            }
        };
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
        Object f = FIELDS.get(o.getClass()).computeIfAbsent(name, n -> instanceField(o.getClass(), n));
        if (f instanceof Field) {
            return ((Field) f).get(o);
        }
        throw new NoSuchFieldException(o.getClass().getName() + "." + name);
    }

    /** Sets a field declared by the object's class or one above it (a final one too: not a static one). */
    public static void write(Object o, String name, Object value) throws ReflectiveOperationException {
        Object f = FIELDS.get(o.getClass()).computeIfAbsent(name, n -> instanceField(o.getClass(), n));
        if (!(f instanceof Field)) {
            throw new NoSuchFieldException(o.getClass().getName() + "." + name);
        }
        ((Field) f).set(o, value);
    }

    /** A field's value, or null where the object's version has no such field or its module does not open it. */
    public static Object readOrNull(Object o, String name) {
        try {
            return read(o, name);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Object instanceField(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && !Modifier.isStatic(f.getModifiers())) {
                    try {
                        f.setAccessible(true);
                        return f;
                    } catch (RuntimeException e) {
                        return NO_FIELD; // a module that does not open it
                    }
                }
            }
        }
        return NO_FIELD;
    }
}
