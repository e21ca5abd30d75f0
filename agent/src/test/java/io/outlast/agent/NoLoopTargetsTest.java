package io.outlast.agent;

import io.outlast.family.InstrumentationModule;
import io.outlast.family.TypeInstrumentation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent installs by retransforming classes already loaded; a thread inside an endless loop of a
 * retransformed class stays on the old method, which HotSpot never compiles again (docs/design.md). So no
 * family may target a class that holds a server thread's loop: these are the ones the families' servers
 * run (Tomcat's poller was one, found interpreted in a profile).
 */
class NoLoopTargetsTest {
    private static final Set<String> LOOPS = new HashSet<>(Arrays.asList(
            "org.apache.tomcat.util.net.NioEndpoint$Poller",
            "org.apache.tomcat.util.net.Acceptor",
            "org.apache.tomcat.util.net.AbstractEndpoint$Acceptor",
            "org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker",
            "org.apache.tomcat.util.threads.TaskThread$WrappingRunnable",
            "sun.net.httpserver.ServerImpl$Dispatcher",
            "org.eclipse.jetty.io.ManagedSelector",
            "org.eclipse.jetty.io.ManagedSelector$SelectorProducer",
            "org.eclipse.jetty.server.AbstractConnector$Acceptor",
            "org.eclipse.jetty.util.thread.QueuedThreadPool$Runner",
            "org.eclipse.jetty.util.thread.strategy.AdaptiveExecutionStrategy",
            "io.netty.channel.nio.NioEventLoop",
            "io.netty.channel.epoll.EpollEventLoop",
            "io.netty.channel.SingleThreadIoEventLoop",
            "io.netty.util.concurrent.SingleThreadEventExecutor",
            "io.netty.util.concurrent.SingleThreadEventExecutor$4",
            "io.netty.util.concurrent.FastThreadLocalRunnable",
            "org.xnio.nio.WorkerThread",
            "org.xnio.nio.NioXnioWorker",
            "io.helidon.webserver.ServerListener",
            "io.helidon.webserver.http1.Http1Connection",
            "io.helidon.webserver.http2.Http2Connection",
            "org.glassfish.grizzly.nio.SelectorRunner",
            "org.glassfish.grizzly.utils.DelayedExecutor$DelayedRunnable",
            "org.glassfish.grizzly.threadpool.AbstractThreadPool$Worker",
            "org.apache.pekko.dispatch.Mailbox",
            "org.apache.pekko.io.SelectionHandler$ChannelRegistryImpl",
            "org.apache.pekko.io.SelectionHandler$ChannelRegistryImpl$$anon$3",
            "org.apache.pekko.stream.impl.fusing.ActorGraphInterpreter",
            "akka.dispatch.Mailbox",
            "akka.io.SelectionHandler$ChannelRegistryImpl",
            "akka.io.SelectionHandler$ChannelRegistryImpl$$anon$3",
            "akka.stream.impl.fusing.ActorGraphInterpreter",
            "java.lang.Thread",
            "java.util.concurrent.ThreadPoolExecutor$Worker"));

    @Test
    void noFamilyTargetsAClassThatHoldsAThreadsLoop() {
        List<String> families = new ArrayList<>();
        List<String> offending = new ArrayList<>();
        for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class)) {
            families.add(module.family());
            for (TypeInstrumentation ti : module.typeInstrumentations()) {
                if (LOOPS.contains(ti.typeName())) {
                    offending.add(module.family() + ": " + ti.typeName());
                }
            }
        }
        assertEquals(17, families.size(), "all seventeen families (eleven of servers, six of clients) found: " + families);
        // each is a name the servers (or clients) setting accepts
        HashSet<String> names = new HashSet<>(io.outlast.core.settings.Config.FAMILIES);
        names.addAll(io.outlast.core.settings.Config.CLIENT_FAMILIES);
        assertEquals(new HashSet<>(families), names);
        assertTrue(offending.isEmpty(), "targets holding a thread's loop: " + offending);
    }
}
