package io.outlast.instrumentation.reactorclient;

import io.outlast.bootstrap.ReactorClientHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

/**
 * Reactor Netty's HttpClient: its pooled connections (Spring WebClient, Spring Cloud Gateway) are retired before
 * their upstream would close them, and each close is logged as a client's.
 */
public final class ReactorClientInstrumentationModule extends FamilyModule {
    public ReactorClientInstrumentationModule() {
        super("reactor-netty", "1.1.", "1.2.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new PoolConfigInstrumentation(), new PooledConnectionInstrumentation(),
                new ClientOperationsInstrumentation(), new ChannelOperationsInstrumentation(), new InactiveInstrumentation());
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        ReactorClientPools pools = new ReactorClientPools(tracker);
        ReactorClientHooks.set(pools);
        return pools;
    }

    @Override
    protected void uninstall() {
        ReactorClientHooks.set(null);
    }
}
