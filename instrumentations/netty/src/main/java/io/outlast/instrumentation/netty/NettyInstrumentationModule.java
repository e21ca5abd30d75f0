package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.NettyHooks;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.FamilyModule;
import io.outlast.family.LiveFamily;
import io.outlast.family.TypeInstrumentation;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Netty 4.1 and 4.2 HTTP/1.1 servers, plain or under Reactor Netty (1.1, 1.2) or Vert.x (4.5, 5.0). */
public final class NettyInstrumentationModule extends FamilyModule {
    public NettyInstrumentationModule() {
        super(NettyConnections.FAMILY, "4.1.", "4.2.");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.asList(new HttpObjectDecoderInstrumentation(),
                new HttpObjectEncoderInstrumentation(), new PipelineInstrumentation(), new HeadContextInstrumentation(),
                new ChannelGroupInstrumentation(),
                IdleHandlerInstrumentation.netty(),
                IdleHandlerInstrumentation.reactor("reactor.netty.http.server.IdleTimeoutHandler"),
                IdleHandlerInstrumentation.reactor("reactor.netty.http.IdleTimeoutHandler"),
                new VertxOptionsInstrumentation(), new GrpcIdleInstrumentation(),
                ArmeriaKeepAliveInstrumentation.handler(), ArmeriaKeepAliveInstrumentation.idleTask());
    }

    @Override
    public List<String> relocationProbes() {
        return Collections.singletonList("io.netty.channel.DefaultChannelPipeline");
    }

    @Override
    protected LiveFamily install(ConnectionTracker tracker) {
        NettyConnections connections = new NettyConnections(tracker);
        NettyHooks.set(connections);
        new NettyTimeouts(connections).start();
        return connections;
    }

    @Override
    protected void uninstall() {
        NettyHooks.set(null);
    }
}
