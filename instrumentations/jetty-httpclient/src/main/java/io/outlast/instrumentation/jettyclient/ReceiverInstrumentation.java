package io.outlast.instrumentation.jettyclient;

import io.outlast.bootstrap.JettyClientHooks;
import io.outlast.family.NamedTypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A response header parsed on a client connection ({@code HttpReceiverOverHTTP}, in the connection's package): its
 * {@code Keep-Alive: timeout=}, which Jetty does not read, is the agent's to keep.
 */
final class ReceiverInstrumentation extends NamedTypeInstrumentation {
    static final String JETTY_10 = "org.eclipse.jetty.client.http.HttpReceiverOverHTTP";
    static final String JETTY_12 = "org.eclipse.jetty.client.transport.internal.HttpReceiverOverHTTP";

    ReceiverInstrumentation(String typeName) {
        super(typeName);
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(HeaderAdvice.class).on(named("parsedHeader").and(takesArguments(1))));
    }

    /** Once per response header: a hook only for this one (the hook finds the receiver's connection). */
    public static final class HeaderAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object receiver, @Advice.Argument(0) Object field) {
            if (((HttpField) field).getHeader() == HttpHeader.KEEP_ALIVE) {
                JettyClientHooks.get().headers(receiver, ((HttpField) field).getValue());
            }
        }
    }
}
