package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.NettyHooks;
import io.outlast.family.NamedTypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * An idle handler's event, in Netty's {@code IdleStateHandler} (Vert.x's idle timeout, an application's own)
 * and in Reactor Netty's subclasses, which override it: a close it makes is an idle close, and one armed
 * before an attach with less than the agent's idle is dropped (the handler re-arms itself first). Reactor Netty
 * also arms its idle timeout (none by default) each time a connection starts waiting, through one static method
 * of the same class (1.1: {@code reactor.netty.http.server.IdleTimeoutHandler}, 1.2: {@code reactor.netty.http}):
 * the agent's idle replaces the application's there.
 */
final class IdleHandlerInstrumentation extends NamedTypeInstrumentation {
    private final boolean reactor;

    private IdleHandlerInstrumentation(String typeName, boolean reactor) {
        super(typeName);
        this.reactor = reactor;
    }

    static IdleHandlerInstrumentation netty() {
        return new IdleHandlerInstrumentation("io.netty.handler.timeout.IdleStateHandler", false);
    }

    static IdleHandlerInstrumentation reactor(String typeName) {
        return new IdleHandlerInstrumentation(typeName, true);
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        builder = builder.visit(Advice.to(ChannelIdleAdvice.class).on(named("channelIdle").and(takesArguments(2))));
        return reactor ? builder.visit(Advice.to(ReactorAddAdvice.class).on(named("addIdleTimeoutHandler").and(isStatic())))
                : builder;
    }

    public static final class ChannelIdleAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        public static boolean enter(@Advice.This Object handler, @Advice.Argument(0) Object ctx,
                                    @Advice.Argument(1) Object event) {
            return NettyHooks.get().idleFiring(handler, ctx, event);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit() {
            NettyHooks.get().idleFired();
        }
    }

    public static final class ReactorAddAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object pipeline,
                                 @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC)
                                 java.time.Duration idleTimeout) {
            idleTimeout = (java.time.Duration) NettyHooks.get().reactorIdle(pipeline, idleTimeout);
        }
    }
}
