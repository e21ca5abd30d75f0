package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.NettyHooks;
import io.outlast.core.AgentContext;
import io.outlast.core.ConnectionTracker;
import io.outlast.core.InstrumentationModule;
import io.outlast.core.RunningThreads;
import io.outlast.core.TypeInstrumentation;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Netty 4.1 and 4.2 HTTP/1.1 servers, plain or under Reactor Netty (1.1, 1.2) or Vert.x (4.5, 5.0). */
public final class NettyInstrumentationModule implements InstrumentationModule {
    private volatile NettyConnections connections;

    @Override
    public String family() {
        return NettyConnections.FAMILY;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new HttpObjectDecoderInstrumentation(),
                new HttpObjectEncoderInstrumentation(), new PipelineInstrumentation(), new HeadContextInstrumentation(),
                new ChannelGroupInstrumentation(),
                new IdleHandlerInstrumentation("io.netty.handler.timeout.IdleStateHandler"),
                new ReactorIdleInstrumentation("reactor.netty.http.server.IdleTimeoutHandler"),
                new ReactorIdleInstrumentation("reactor.netty.http.IdleTimeoutHandler"),
                new VertxOptionsInstrumentation());
    }

    @Override
    public List<String> relocationProbes() {
        return Collections.singletonList("io.netty.channel.DefaultChannelPipeline");
    }

    @Override
    public void start(AgentContext context) {
        NettyConnections connections = new NettyConnections(new ConnectionTracker(family(), context, "4.1.", "4.2."));
        this.connections = connections;
        NettyHooks.set(connections);
        new NettyTimeouts(connections).start();
    }

    @Override
    public void meetRunning(RunningThreads threads) throws Exception {
        NettyConnections c = connections;
        if (c != null) {
            NettyRunning.meet(threads, c);
        }
    }

    @Override
    public void stop() {
        NettyHooks.set(null);
        NettyConnections stopped = connections;
        if (stopped != null) {
            stopped.release();
        }
    }
}
