package io.outlast.instrumentation.reactorclient;

import io.outlast.bootstrap.ReactorClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** Reactor Netty's pooled connection, made once per connection of a pool: where the agent begins to follow it. */
final class PooledConnectionInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "reactor.netty.resources.DefaultPooledConnectionProvider$PooledConnection";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(MadeAdvice.class).on(isConstructor().and(takesArguments(2))));
    }

    public static final class MadeAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object pooled, @Advice.Argument(0) Object channel) {
            ReactorClientHooks.get().pooled(pooled, channel);
        }
    }
}
