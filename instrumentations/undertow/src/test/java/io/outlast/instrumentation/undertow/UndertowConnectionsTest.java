package io.outlast.instrumentation.undertow;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A timer Undertow armed before the agent came, moved to the agent's value from the same start. */
class UndertowConnectionsTest {
    private static final long ARMED_AT = 1_000_000;

    @Test
    void aTimerArmedWithUndertowsValueIsMovedToTheAgentsFromTheSameStart() {
        assertEquals(ARMED_AT + 2000, UndertowConnections.moved(ARMED_AT + 60_000, 60_000, 2000));
        assertEquals(ARMED_AT + 65_000, UndertowConnections.moved(ARMED_AT + 60_000, 60_000, 65_000));
    }

    @Test
    void aTimerIsLeftWhereEitherValueIsUnsetOrNothingIsArmed() {
        assertEquals(ARMED_AT + 60_000, UndertowConnections.moved(ARMED_AT + 60_000, 60_000, -1));
        assertEquals(ARMED_AT, UndertowConnections.moved(ARMED_AT, -1, 2000));
        assertEquals(-1, UndertowConnections.moved(-1, 60_000, 2000));
    }
}
