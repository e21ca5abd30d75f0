package io.outlast.core;

import java.util.List;

/** One server family. Found with {@link java.util.ServiceLoader} in the agent's class loader. */
public interface InstrumentationModule {
    /** The family's name in the {@code servers} setting. */
    String family();

    List<TypeInstrumentation> typeInstrumentations();

    /** Called before any class is transformed, so advice that runs at once finds its hooks installed. */
    void start(AgentContext context);
}
