package io.outlast.bootstrap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a decode's objects, as the advice passes them, make of the counts the sweep reads. */
class NettyConnectionStateTest {
    @Test
    void aRequestWithoutABodyIsCompleteAndOutOfItsBody() {
        NettyConnectionState s = new NettyConnectionState(null, "x", null, null, 0);
        s.headerReads = 3;
        s.decoded(true, false);
        s.decoded(false, true);
        assertEquals(1, s.requestsIn);
        assertEquals(3, s.headerReadsDone);
        assertFalse(s.inBody);
    }

    @Test
    void aBodyIsReadUntilItsLastContent() {
        NettyConnectionState s = new NettyConnectionState(null, "x", null, null, 0);
        s.decoded(true, false);
        assertTrue(s.inBody);
        s.decoded(false, false);
        assertTrue(s.inBody);
        s.decoded(false, true);
        assertFalse(s.inBody);
        assertEquals(1, s.requestsIn);
    }

    @Test
    void aFullRequestIsBothItsHeadersAndItsEnd() {
        NettyConnectionState s = new NettyConnectionState(null, "x", null, null, 0);
        s.headerReads = 1;
        s.decoded(true, true);
        assertEquals(1, s.requestsIn);
        assertEquals(1, s.headerReadsDone);
        assertFalse(s.inBody);
    }
}
