package io.outlast.instrumentation.apacheclient;

import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/** HttpClient 4.5's pool manager: its shutdown ({@code close()} calls it), whose connections' closes are the client's. */
final class Client4ConnectionManagerInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.http.impl.conn.PoolingHttpClientConnectionManager";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(ConnectionManagerInstrumentation.CloseAdvice.class)
                .on(named("shutdown").and(takesArguments(0))));
    }
}
