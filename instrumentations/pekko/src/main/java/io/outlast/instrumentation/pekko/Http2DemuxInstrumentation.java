package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;
import io.outlast.family.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;

/**
 * An HTTP/2 connection's demultiplexer, made when the connection chose HTTP/2: it counts its streams, and it is the
 * connection's own terminator (a GOAWAY naming the last stream, then the close once none is open).
 */
final class Http2DemuxInstrumentation implements TypeInstrumentation {
    private final Lineage lineage;

    Http2DemuxInstrumentation(Lineage lineage) {
        this.lineage = lineage;
    }

    @Override
    public String typeName() {
        return lineage.type("http.impl.engine.http2.Http2Demux$Logic$1$");
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder.visit(Advice.to(MadeAdvice.class).on(isConstructor()));
    }

    public static final class MadeAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.This Object demux) {
            PekkoHooks.get().demuxMade(demux);
        }
    }
}
