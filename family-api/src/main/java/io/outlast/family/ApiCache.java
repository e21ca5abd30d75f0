package io.outlast.family;

/**
 * A server's API as resolved reflectively for one of its classes, computed once per class. Kept in a
 * {@link ClassValue}, so it lives and dies with the class: a map keyed by class loader would hold the
 * loader forever, since the resolved methods refer back to it (a web application could never unload).
 */
public final class ApiCache<T> {
    /** Resolves the API from the class's loader; throws when something it needs is not there. */
    public interface Resolver<T> {
        T resolve(ClassLoader loader) throws ReflectiveOperationException;
    }

    /** A class whose loader lacks part of the API: what it lacked, said in the one warning that leaves it alone. */
    private static final class Missing {
        final String what;

        Missing(String what) {
            this.what = what;
        }
    }

    private static final Missing UNNAMED = new Missing("part of it");

    private final ClassValue<Object> values;

    public ApiCache(Resolver<T> resolver) {
        this.values = new ClassValue<Object>() {
            @Override
            protected Object computeValue(Class<?> type) {
                try {
                    T api = resolver.resolve(type.getClassLoader());
                    if (api == null) {
                        return UNNAMED;
                    }
                    skipAccessChecks(api);
                    return api;
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    String what = e.getClass().getSimpleName();
                    return new Missing(e.getMessage() != null ? what + " " + e.getMessage() : what);
                }
            }
        };
    }

    /**
     * The resolved methods are called on server threads, some per request: with access checks off, an
     * invocation skips {@code verifyAccess} (measured among the agent's costliest frames). Only where the
     * server's module allows it (the class path always does); otherwise the checks stay.
     */
    private static void skipAccessChecks(Object api) {
        for (java.lang.reflect.Field f : api.getClass().getDeclaredFields()) {
            if (java.lang.reflect.AccessibleObject.class.isAssignableFrom(f.getType())) {
                try {
                    f.setAccessible(true);
                    Object member = f.get(api);
                    if (member != null) {
                        ((java.lang.reflect.AccessibleObject) member).setAccessible(true);
                    }
                } catch (RuntimeException | IllegalAccessException e) {
                    // a named module that does not open the package: checks stay on
                }
            }
        }
    }

    /** The API for this server class, or null where its loader lacks part of it (remembered either way). */
    @SuppressWarnings("unchecked")
    public T get(Class<?> type) {
        Object v = values.get(type);
        return v instanceof Missing ? null : (T) v;
    }

    /** What this server class's loader lacks of the API, as a warning says it ("missing: ..."); null if nothing. */
    public String missing(Class<?> type) {
        Object v = values.get(type);
        return v instanceof Missing ? "missing: " + ((Missing) v).what : null;
    }
}
