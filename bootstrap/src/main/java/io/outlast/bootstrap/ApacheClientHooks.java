package io.outlast.bootstrap;

/** Where advice inlined into Apache HttpClient's classic pools (4.5 and 5) finds the agent's {@link ClientPoolHooks}. */
public final class ApacheClientHooks {
    private static volatile ClientPoolHooks current = ClientPoolHooks.NONE;

    private ApacheClientHooks() {
    }

    public static ClientPoolHooks get() {
        return current;
    }

    public static void set(ClientPoolHooks hooks) {
        current = hooks == null ? ClientPoolHooks.NONE : hooks;
    }
}
