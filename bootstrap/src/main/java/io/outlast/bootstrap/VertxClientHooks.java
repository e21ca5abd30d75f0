package io.outlast.bootstrap;

/** Where advice inlined into Vert.x's HttpClient (WebClient's too) finds the agent's {@link ClientPoolHooks}. */
public final class VertxClientHooks {
    private static volatile ClientPoolHooks current = ClientPoolHooks.NONE;

    private VertxClientHooks() {
    }

    public static ClientPoolHooks get() {
        return current;
    }

    public static void set(ClientPoolHooks hooks) {
        current = hooks == null ? ClientPoolHooks.NONE : hooks;
    }
}
