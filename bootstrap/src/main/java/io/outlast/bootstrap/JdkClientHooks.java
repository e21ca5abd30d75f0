package io.outlast.bootstrap;

/** Where advice inlined into the JDK's HttpClient (java.net.http) finds the agent's {@link ClientPoolHooks}. */
public final class JdkClientHooks {
    private static volatile ClientPoolHooks current = ClientPoolHooks.NONE;

    private JdkClientHooks() {
    }

    public static ClientPoolHooks get() {
        return current;
    }

    public static void set(ClientPoolHooks hooks) {
        current = hooks == null ? ClientPoolHooks.NONE : hooks;
    }
}
