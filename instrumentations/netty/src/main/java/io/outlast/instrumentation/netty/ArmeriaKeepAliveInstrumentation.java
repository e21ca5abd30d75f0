package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.NettyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Armeria's own idle (its {@code idleTimeoutMillis}, 15 s by default), a timer per connection in its keep-alive
 * handler, counted from the last read or write: held above the agent's idle, so that the agent's sweep, which
 * closes on the agent's idle and names the close, comes first (Armeria's close would come at its own value, and
 * unnamed). Made in the constructor (1.2x to 1.40 alike); a timer made before an attach is moved when it fires.
 */
final class ArmeriaKeepAliveInstrumentation {
    private ArmeriaKeepAliveInstrumentation() {
    }

    static TypeInstrumentation handler() {
        return new TypeInstrumentation() {
            @Override
            public String typeName() {
                return "com.linecorp.armeria.internal.common.AbstractKeepAliveHandler";
            }

            @Override
            public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
                return builder.visit(Advice.to(ConstructorAdvice.class).on(isConstructor()
                        .and(takesArgument(1, String.class)).and(takesArgument(3, long.class))));
            }
        };
    }

    static TypeInstrumentation idleTask() {
        return new TypeInstrumentation() {
            @Override
            public String typeName() {
                return "com.linecorp.armeria.internal.common.AbstractKeepAliveHandler$ConnectionIdleTimeoutTask";
            }

            @Override
            public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
                return builder.visit(Advice.to(IdleTaskAdvice.class).on(named("run").and(takesArguments(1))));
            }
        };
    }

    public static final class ConstructorAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object channel, @Advice.Argument(1) String name,
                                 @Advice.Argument(value = 3, readOnly = false) long idleTimeoutMillis) {
            idleTimeoutMillis = NettyHooks.get().armeriaIdle(channel, name, idleTimeoutMillis);
        }
    }

    public static final class IdleTaskAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.FieldValue("this$0") Object handler) {
            NettyHooks.get().armeriaIdleTimer(handler);
        }
    }
}
