package io.outlast.agent;

import java.lang.instrument.Instrumentation;

/** The thread that starts the agent at premain, beside the application's own start. */
final class Starter extends Thread {
    private final String args;
    private final Instrumentation inst;

    Starter(String args, Instrumentation inst) {
        super("outlast-init");
        this.args = args;
        this.inst = inst;
        setDaemon(true);
    }

    @Override
    public void run() {
        OutlastAgent.start(args, inst, true);
    }
}
