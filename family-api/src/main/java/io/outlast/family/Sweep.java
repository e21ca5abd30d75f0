package io.outlast.family;

/** A task on the agent's timer thread ({@link FamilyContext#sweep}), idle until started. */
public interface Sweep {
    /** Called on a server's thread: once it has started, a volatile read and nothing else. */
    void start();
}
