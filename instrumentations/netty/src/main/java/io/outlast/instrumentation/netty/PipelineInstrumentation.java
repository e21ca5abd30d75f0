package io.outlast.instrumentation.netty;

import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.util.AttributeKey;
import io.outlast.bootstrap.NettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Every transport's connections pass here, whatever accepted them (Netty's ServerBootstrap, Reactor Netty's
 * own acceptor): their start (active), a close asked for (a server channel's: the server stops, even before
 * its event loop runs the close), their end (inactive, even when the peer's end of input closed them
 * without passing the pipeline), failures (an I/O exception: an error close) and user events (Vert.x 5 tells
 * its connections that the server shuts down with one).
 */
final class PipelineInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.netty.channel.DefaultChannelPipeline";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(ActiveAdvice.class).on(named("fireChannelActive").and(takesArguments(0))))
                .visit(Advice.to(InactiveAdvice.class).on(named("fireChannelInactive").and(takesArguments(0))))
                .visit(Advice.to(ExceptionAdvice.class).on(named("fireExceptionCaught").and(takesArguments(1))))
                .visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(0))))
                .visit(Advice.to(UserEventAdvice.class).on(named("fireUserEventTriggered").and(takesArguments(1))));
    }

    /**
     * Once per connection: the server test and the addresses are Netty's own calls, inlined into Netty's class
     * (reflective calls here were most of the agent's cost per connection, measured).
     */
    public static final class ActiveAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("channel") Object pipelineChannel) {
            // parameters stay Object: the agent's loader, which reads this advice, cannot see Netty
            Channel channel = (Channel) pipelineChannel;
            Channel parent = channel.parent();
            if (parent instanceof ServerChannel) {
                Object state = NettyHooks.get().active(channel, parent, channel.localAddress(), channel.remoteAddress());
                if (state != null) {
                    AttributeKey<Object> key = AttributeKey.valueOf(NettyHooks.STATE_KEY);
                    NettyHooks.stateKey(key);
                    channel.attr(key).set(state);
                }
            }
        }
    }

    public static final class InactiveAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("channel") Object channel) {
            NettyHooks.get().inactive(channel);
        }
    }

    /** Called for every channel's close: only a server channel's is the agent's business. */
    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("channel") Object channel) {
            if (channel instanceof ServerChannel) {
                NettyHooks.get().closeRequested(channel);
            }
        }
    }

    public static final class UserEventAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("channel") Object channel, @Advice.Argument(0) Object event) {
            NettyHooks.get().userEvent(channel, event);
        }
    }

    public static final class ExceptionAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("channel") Object channel, @Advice.Argument(0) Throwable cause) {
            NettyHooks.get().exception(channel, cause);
        }
    }
}
