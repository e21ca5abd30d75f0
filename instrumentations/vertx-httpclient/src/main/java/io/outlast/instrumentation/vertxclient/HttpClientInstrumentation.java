package io.outlast.instrumentation.vertxclient;

import io.outlast.bootstrap.VertxClientHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;

/** A client made (WebClient makes one too): where the family reads Vert.x's version. */
final class HttpClientInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "io.vertx.core.http.impl.HttpClientImpl";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(MadeAdvice.class).on(isConstructor()));
    }

    public static final class MadeAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object client) {
            VertxClientHooks.get().poolMade(client);
        }
    }
}
