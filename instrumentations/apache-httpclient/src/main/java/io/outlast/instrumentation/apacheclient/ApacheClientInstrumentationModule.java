package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

/**
 * Apache HttpClient 5's classic pool (Spring's RestTemplate and RestClient on HttpComponents, Feign, most blocking
 * callers): its pooled connections are retired before their upstream would close them, and each close is logged as a
 * client's.
 */
public final class ApacheClientInstrumentationModule extends FamilyModule {
    public ApacheClientInstrumentationModule() {
        super("apache-httpclient", "5.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new ConnectionManagerInstrumentation(), new KeepAliveStrategyInstrumentation(),
                new ManagedConnectionInstrumentation(), new ClientExchangeInstrumentation(), new StaleCheckInstrumentation());
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        ApacheClientConnections connections = new ApacheClientConnections(tracker);
        ApacheClientHooks.set(connections);
        return connections;
    }

    @Override
    protected void uninstall() {
        ApacheClientHooks.set(null);
    }
}
