package io.outlast.instrumentation.reactorclient;

import io.outlast.bootstrap.PoolDestroy;
import io.outlast.bootstrap.PoolEviction;
import io.outlast.bootstrap.ReactorClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The config of Reactor Netty's (shaded) reactor-pool, which each pool asks for its eviction predicate at every
 * acquire and release. The first ask gets the agent's predicate around the pool's own, and the hook puts it in the
 * config's field: a pool built before the agent came (at start, or before an attach) is covered from its next
 * acquire, and the asks after cost an instanceof.
 */
final class PoolConfigInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "reactor.netty.internal.shaded.reactor.pool.DefaultPoolConfig";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(PredicateAdvice.class).on(named("evictionPredicate").and(takesArguments(0))))
                .visit(Advice.to(DestroyAdvice.class).on(named("destroyHandler").and(takesArguments(0))));
    }

    public static final class PredicateAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object config,
                                @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object predicate) {
            if (!(predicate instanceof PoolEviction)) {
                predicate = ReactorClientHooks.get().evictionPredicate(config, predicate);
            }
        }
    }

    public static final class DestroyAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object config,
                                @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
            if (!(handler instanceof PoolDestroy)) {
                handler = ReactorClientHooks.get().destroyHandler(config, handler);
            }
        }
    }
}
