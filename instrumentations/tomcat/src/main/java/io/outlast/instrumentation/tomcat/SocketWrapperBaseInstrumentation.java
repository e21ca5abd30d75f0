package io.outlast.instrumentation.tomcat;

import io.outlast.bootstrap.TomcatHooks;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.Nio2Channel;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketWrapperBase;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import java.util.concurrent.atomic.AtomicBoolean;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Every connection, NIO or NIO2, from its creation; the first read timeout Tomcat arms (the wait for the
 * first request, which gets the idle timeout); and every close (9.0.21+ route all of them through here).
 */
final class SocketWrapperBaseInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "org.apache.tomcat.util.net.SocketWrapperBase";
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder
                .visit(Advice.to(CreatedAdvice.class).on(isConstructor()))
                .visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(0))))
                .visit(Advice.to(ReadTimeoutAdvice.class).on(named("setReadTimeout").and(takesArguments(long.class))));
    }

    public static final class CreatedAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object socketWrapper, @Advice.FieldValue("endpoint") Object endpoint) {
            TomcatHooks.get().created(socketWrapper, endpoint,
                    ((AbstractEndpoint<?, ?>) endpoint).getMaxKeepAliveRequests());
        }
    }

    /**
     * Tomcat's timeout is -1 until it arms the first, the wait for the first request (9.0 to 11.0), and later
     * only where it has none: the two it arms per request cost one field read, not a call. The socket's JDK
     * channel is set by then, and its addresses are objects it holds already: none made per connection.
     */
    public static final class ReadTimeoutAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object socketWrapper, @Advice.FieldValue("readTimeout") long current,
                                 @Advice.Argument(value = 0, readOnly = false) long timeout) {
            if (current == -1) {
                Object socket = ((SocketWrapperBase<?>) socketWrapper).getSocket();
                Object channel = socket instanceof NioChannel ? ((NioChannel) socket).getIOChannel()
                        : socket instanceof Nio2Channel ? ((Nio2Channel) socket).getIOChannel() : null;
                timeout = TomcatHooks.get().readTimeout(socketWrapper, timeout, channel);
            }
        }
    }

    /**
     * Once per connection: Tomcat's own calls, inlined into Tomcat's class, instead of reflective ones in the
     * hook. Parameters stay {@code Object}: the agent's loader, which reads this advice, cannot see Tomcat.
     * Tomcat calls close more than once (its flag makes the later calls do nothing): only the first is the close.
     * At the exit, a state a concurrent hook made for the connection while its close was under way (the poller's
     * timeout pass meets it as one open before the agent) is dropped, never reported.
     */
    public static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object socketWrapper, @Advice.FieldValue("endpoint") Object endpoint,
                                 @Advice.FieldValue("keepAliveLeft") int keepAliveLeft,
                                 @Advice.FieldValue("closed") AtomicBoolean closed) {
            if (closed.get()) {
                return;
            }
            AbstractEndpoint<?, ?> e = (AbstractEndpoint<?, ?>) endpoint;
            SocketWrapperBase<?> w = (SocketWrapperBase<?>) socketWrapper;
            boolean nio = socketWrapper instanceof NioEndpoint.NioSocketWrapper;
            TomcatHooks.get().closing(socketWrapper, !e.isRunning() || e.isPaused(), w.getError(),
                    w.getCurrentProcessor(), nio ? ((NioEndpoint.NioSocketWrapper) socketWrapper).getLastWrite() : -1,
                    keepAliveLeft);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.This Object socketWrapper) {
            TomcatHooks.get().closed(socketWrapper);
        }
    }
}
