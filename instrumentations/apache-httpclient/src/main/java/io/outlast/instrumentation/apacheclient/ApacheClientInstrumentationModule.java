package io.outlast.instrumentation.apacheclient;

import io.outlast.bootstrap.ApacheClientHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.LiveFamily;
import io.outlast.family.PooledClientConnections;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

/**
 * Apache HttpClient's classic pools, 5 and 4.5 (Spring's RestTemplate and RestClient on HttpComponents, Feign, most blocking
 * callers): its pooled connections are retired before their upstream would close them, and each close is logged as a
 * client's.
 */
public final class ApacheClientInstrumentationModule extends FamilyModule {
    public ApacheClientInstrumentationModule() {
        super("apache-httpclient", "4.5.", "5.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new ConnectionManagerInstrumentation(), new KeepAliveStrategyInstrumentation(),
                new ManagedConnectionInstrumentation(), new ClientExchangeInstrumentation(), new StaleCheckInstrumentation(),
                // 4.5 (org.apache.http): the same hooks
                new Client4PoolEntryInstrumentation(), new Client4KeepAliveStrategyInstrumentation(),
                new Client4ConnectionInstrumentation(), new Client4ExchangeInstrumentation(),
                new Client4ConnectionBaseInstrumentation(), new Client4ConnectionManagerInstrumentation());
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        PooledClientConnections connections = new PooledClientConnections(tracker);
        ApacheClientHooks.set(connections);
        return connections;
    }

    @Override
    protected void uninstall() {
        ApacheClientHooks.set(null);
    }
}
