package io.outlast.instrumentation.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.outlast.bootstrap.NettyConnectionState;
import io.outlast.bootstrap.NettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Requests arriving: a decode that begins outside a request is a header's first byte; one that outputs a
 * request has its headers complete. Vert.x's decoder and the one in HttpServerCodec call this one.
 */
final class HttpObjectDecoderInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.netty.handler.codec.http.HttpObjectDecoder";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(DecodeAdvice.class).on(named("decode").and(takesArguments(3))));
    }

    /**
     * Runs once per read on every HTTP/1 connection: the checks, the channel and the reading of what the
     * decode output are Netty's own calls here, inlined into Netty's class (where its types resolve and its
     * type checks are the JIT's fastest), and so is the counting into the connection's state: a hook is
     * called only for a connection not counted into yet. No clock is read and no fence written here; the
     * sweep stamps the times. Parameters stay {@code Object}: the agent's loader cannot see Netty.
     */
    public static final class DecodeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static NettyConnectionState enter(@Advice.This Object decoder, @Advice.Argument(0) Object ctx,
                                            @Advice.Argument(2) List<?> out, @Advice.Local("mark") int mark) {
            if (!(decoder instanceof HttpRequestDecoder)) {
                return null;
            }
            mark = out.size();
            Channel channel = ((ChannelHandlerContext) ctx).channel();
            Object key = NettyHooks.stateKey();
            // none before the first connection the advice met: open before an attach, the hook finds it
            Object state = key instanceof AttributeKey ? channel.attr((AttributeKey<?>) key).get() : null;
            if (!(state instanceof NettyConnectionState) || !((NettyConnectionState) state).counted) {
                state = NettyHooks.get().decoding(decoder, channel, state);
            }
            if (!(state instanceof NettyConnectionState)) {
                return null;
            }
            NettyConnectionState s = (NettyConnectionState) state;
            if (!s.inBody) {
                s.headerReads++;
            }
            return s;
        }

        // no copies of the arguments for this exit (decode never assigns them): with them, every use of an
        // argument in Netty's decode moved to a wider local slot (4.1.138: 109 bytes more)
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class, backupArguments = false)
        public static void exit(@Advice.Enter NettyConnectionState s, @Advice.Argument(2) List<?> out,
                                @Advice.Local("mark") int mark) {
            if (s == null) {
                return;
            }
            int size = out.size();
            if (size == mark) {
                return;
            }
            // Netty 4.1 and 4.2 put out at most two objects per decode (a message and its end, or a chunk and
            // a bad delimiter's invalid chunk): the first and the last are read without a loop (the loop between them is never entered, and C2 leaves it out): a loop over
            // all of them, two turns, made C2's code for decode 14.3 KB (7.7 KB bare, 10.9 KB so)
            Object first = out.get(mark);
            boolean request = first instanceof HttpRequest;
            // a request the decoder refused (a header over its limit) is output alone and ends there: Netty discards
            // what follows and sends no end, which would leave the connection in a body for good
            s.decoded(request, first instanceof LastHttpContent || request && ((HttpRequest) first).decoderResult().isFailure());
            for (int i = mark + 1; i < size - 1; i++) {
                Object msg = out.get(i);
                s.decoded(msg instanceof HttpRequest, msg instanceof LastHttpContent);
            }
            if (size - mark > 1) {
                Object last = out.get(size - 1);
                // a request without a body ends with this one: not type-checked, so that the type checks see
                // only the classes of other ends
                boolean empty = last == LastHttpContent.EMPTY_LAST_CONTENT;
                s.decoded(!empty && last instanceof HttpRequest, empty || last instanceof LastHttpContent);
            }
        }
    }
}
