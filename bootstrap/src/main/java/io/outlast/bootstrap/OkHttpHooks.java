package io.outlast.bootstrap;

/** Where advice inlined into OkHttp's pool finds the agent's {@link ClientPoolHooks}. */
public final class OkHttpHooks {
    private static volatile ClientPoolHooks current = ClientPoolHooks.NONE;

    private OkHttpHooks() {
    }

    public static ClientPoolHooks get() {
        return current;
    }

    public static void set(ClientPoolHooks hooks) {
        current = hooks == null ? ClientPoolHooks.NONE : hooks;
    }
}
