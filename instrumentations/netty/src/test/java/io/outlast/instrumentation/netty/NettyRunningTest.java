package io.outlast.instrumentation.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a connection open before the agent is doing, read from a real Netty pipeline in each state. */
class NettyRunningTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec());

    @SuppressWarnings({"unchecked", "rawtypes"})
    private NettyRunning.Doing doing() {
        return NettyRunning.Doing.of((Iterable<Map.Entry<String, ?>>) (Iterable) channel.pipeline());
    }

    private void read(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
    }

    @Test
    void aFreshConnectionWaits() {
        NettyRunning.Doing d = doing();
        assertEquals(0, d.pending);
        assertFalse(d.header);
        assertFalse(d.body);
        assertFalse(d.other);
    }

    @Test
    void aHeaderBegunIsAHeaderArriving() {
        read("GET / HTTP/1.1\r\nHo");
        NettyRunning.Doing d = doing();
        assertTrue(d.header);
        assertEquals(0, d.pending);
    }

    @Test
    void aRequestLineBegunIsAHeaderArrivingToo() {
        read("GE");
        assertTrue(doing().header);
    }

    @Test
    void aRequestReadAndNotAnsweredIsPendingUntilItsResponse() {
        read("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        NettyRunning.Doing d = doing();
        assertEquals(1, d.pending);
        assertFalse(d.header);
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertEquals(0, doing().pending);
    }

    @Test
    void aBodyArrivingIsNeitherWaitingNorAHeader() {
        read("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
        NettyRunning.Doing d = doing();
        assertTrue(d.body);
        assertFalse(d.header);
        assertEquals(1, d.pending);
    }

    @Test
    void aBadMessageIsNotTheAgentsToTime() {
        read("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n");
        assertTrue(doing().other);
    }
}
