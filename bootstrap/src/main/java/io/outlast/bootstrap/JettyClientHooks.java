package io.outlast.bootstrap;

/** Where advice inlined into Jetty's HttpClient finds the agent's {@link ClientPoolHooks}. */
public final class JettyClientHooks {
    private static volatile ClientPoolHooks current = ClientPoolHooks.NONE;

    private JettyClientHooks() {
    }

    public static ClientPoolHooks get() {
        return current;
    }

    public static void set(ClientPoolHooks hooks) {
        current = hooks == null ? ClientPoolHooks.NONE : hooks;
    }
}
