package io.outlast.instrumentation.ktor;

import io.outlast.bootstrap.KtorHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.List;

/** Ktor's CIO engine, its coroutine server (Ktor's Netty engine is the Netty family's). */
public final class KtorInstrumentationModule extends FamilyModule {
    public KtorInstrumentationModule() {
        super("ktor", "3.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new PipelineInstrumentation(), new ParserInstrumentation(), new OutputCloseInstrumentation(),
                new FlushInstrumentation());
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        KtorConnections connections = new KtorConnections(tracker);
        KtorHooks.set(connections);
        connections.start();
        return connections;
    }

    @Override
    protected void uninstall() {
        KtorHooks.set(null);
    }
}
