package io.outlast.instrumentation.jetty;

import io.outlast.bootstrap.JettyHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.HeaderDeadline;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

public final class JettyInstrumentationModule extends FamilyModule {
    public JettyInstrumentationModule() {
        super("jetty", "9.4.", "10.0.", "11.0.", "12.0.", "12.1.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new AbstractConnectorInstrumentation(), new AbstractEndPointInstrumentation(),
                new ServerInstrumentation(),
                new SendCallbackInstrumentation("org.eclipse.jetty.server.HttpConnection$SendCallback"),
                new SendCallbackInstrumentation("org.eclipse.jetty.server.internal.HttpConnection$SendCallback"),
                new IdleTimeoutInstrumentation(), new Http2ConnectionInstrumentation());
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        JettyConnections connections = new JettyConnections(tracker);
        JettyHooks.set(connections);
        // Jetty has no header deadline: every byte resets its idle timer
        new HeaderDeadline<>(tracker, connections).start();
        return connections;
    }

    @Override
    protected void uninstall() {
        JettyHooks.set(null);
    }
}
