package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** A TCP connection's stream stage, made in its graph's materialization: its role names the connection's actor. */
final class TcpStageInstrumentation implements TypeInstrumentation {
    private final Lineage lineage;

    TcpStageInstrumentation(Lineage lineage) {
        this.lineage = lineage;
    }

    @Override
    public String typeName() {
        return lineage.type("stream.impl.io.TcpConnectionStage$TcpStreamLogic");
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(MadeAdvice.class).on(isConstructor().and(takesArguments(5))));
    }

    public static final class MadeAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object logic, @Advice.Argument(1) Object role) {
            PekkoHooks.get().tcpStage(logic, role);
        }
    }
}
