package io.outlast.instrumentation.grizzly;

import io.outlast.bootstrap.GrizzlyHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** The HTTP codec: a request's bytes arriving, its headers parsed, its response done. */
final class HttpCodecInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.glassfish.grizzly.http.HttpServerFilter";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(ReadAdvice.class).on(named("handleRead").and(takesArguments(1))))
                .visit(Advice.to(HeaderParsedAdvice.class).on(named("onHttpHeaderParsed").and(takesArguments(3))))
                .visit(Advice.to(EventAdvice.class).on(named("handleEvent").and(takesArguments(2))));
    }

    public static final class ReadAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object context) {
            GrizzlyHooks.get().reading(((org.glassfish.grizzly.filterchain.FilterChainContext) context).getConnection());
        }
    }

    public static final class HeaderParsedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(2) Object context) {
            GrizzlyHooks.get().headerParsed(
                    ((org.glassfish.grizzly.filterchain.FilterChainContext) context).getConnection());
        }
    }

    public static final class EventAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object context, @Advice.Argument(1) Object event) {
            GrizzlyHooks.get().event(((org.glassfish.grizzly.filterchain.FilterChainContext) context).getConnection(),
                    event);
        }
    }
}
