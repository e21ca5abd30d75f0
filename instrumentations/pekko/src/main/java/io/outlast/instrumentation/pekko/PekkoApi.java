package io.outlast.instrumentation.pekko;

import io.outlast.family.ApiCache;
import io.outlast.family.Reflection;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;

import static io.outlast.family.Reflection.load;

/**
 * Apache Pekko or Akka (its actors, its streams, its HTTP server) as one class loader sees it: the internals a server
 * connection's stages keep private in Scala's sense (public in bytecode, mangled names), resolved once per loader.
 */
final class PekkoApi {
    static final String TCP_LOGIC = "stream.impl.io.TcpConnectionStage$TcpStreamLogic";
    static final String PARSER = "http.impl.engine.parsing.HttpRequestParser$$anon$1";
    static final String DEMUX = "http.impl.engine.http2.Http2Demux$Logic$1$";
    private static final String PARSER_OUTPUT = "http.impl.engine.parsing.ParserOutput$";
    private static final ApiCache<PekkoApi> PEKKO = new ApiCache<>(cl -> new PekkoApi(cl, Lineage.PEKKO));
    private static final ApiCache<PekkoApi> AKKA = new ApiCache<>(cl -> new PekkoApi(cl, Lineage.AKKA));
    /** The idle logic's fields, by its class (its name is the compiler's). */
    private static final ClassValue<Field[]> IDLE_FIELDS = new ClassValue<Field[]>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            try {
                return new Field[] {Reflection.field(type, "nextDeadline"), Reflection.field(type, "$outer")};
            } catch (NoSuchFieldException | RuntimeException e) {
                return null;
            }
        }
    };

    final Lineage lineage;
    /** Its HTTP server's. */
    final String version;
    private final Method interpreter;
    private final Method logics;
    private final Class<?> tcpLogic;
    private final Method role;
    private final Field remote;
    private final Method stageActor;
    private final Method stageActorRef;
    private final Class<?> inbound;
    private final Method inboundConnection;
    private final Method stageTimeout;
    private final Method toNanos;
    private final Method tell;
    private final Field tlsActor;
    private final Object abort;
    private final Object close;
    private final Object interpreters;
    private final Method currentInterpreter;
    private final Class<?> demux;
    private final Method demuxIsServer;
    private final Method lastStreamId;
    private final Method terminate;
    private final Object durations;
    private final Method duration;
    private final Object parasitic;
    private final Class<?> requestStart;
    /** The parser's view of an end of input now, and its value while a message's start (its header) is partial. */
    private final Field completionHandling;
    private final Object headerPartial;

    /** The API for the loader of a Pekko or Akka class (a stage's logic, the HTTP server's parser). */
    static PekkoApi of(Class<?> pekkoClass) {
        return (Lineage.of(pekkoClass) == Lineage.AKKA ? AKKA : PEKKO).get(pekkoClass);
    }

    /** What the class's loader lacks of the API, for the warning that leaves the server alone; null if nothing. */
    static String missing(Class<?> pekkoClass) {
        return (Lineage.of(pekkoClass) == Lineage.AKKA ? AKKA : PEKKO).missing(pekkoClass);
    }

    private PekkoApi(ClassLoader cl, Lineage lineage) throws ReflectiveOperationException {
        this.lineage = lineage;
        Class<?> versions = load(cl, lineage.type("http.Version$"));
        version = String.valueOf(versions.getMethod("current").invoke(versions.getField("MODULE$").get(null)));
        Class<?> logic = load(cl, lineage.type("stream.stage.GraphStageLogic"));
        interpreter = logic.getMethod("interpreter");
        logics = load(cl, lineage.type("stream.impl.fusing.GraphInterpreter")).getMethod("logics");
        stageActor = logic.getMethod("stageActor");
        stageActorRef = load(cl, lineage.type("stream.stage.GraphStageLogic$StageActor")).getMethod("ref");
        tcpLogic = load(cl, lineage.type(TCP_LOGIC));
        role = tcpLogic.getMethod("role");
        remote = tcpLogic.getField(lineage.mangled("stream$impl$io$TcpConnectionStage$TcpStreamLogic$$remoteAddress"));
        inbound = load(cl, lineage.type("stream.impl.io.TcpConnectionStage$Inbound"));
        inboundConnection = inbound.getMethod("connection");
        stageTimeout = load(cl, lineage.type(IdleTimeoutInstrumentation.STAGE)).getMethod("timeout");
        toNanos = load(cl, "scala.concurrent.duration.FiniteDuration").getMethod("toNanos");
        Class<?> actorRef = load(cl, lineage.type("actor.ActorRef"));
        tell = actorRef.getMethod("tell", Object.class, actorRef);
        Class<?> tlsPhase = load(cl, lineage.type("stream.impl.TlsModulePhase"));
        tlsActor = lineage == Lineage.AKKA ? Reflection.field(tlsPhase, "tlsActor")
                : Reflection.field(tlsPhase, lineage.mangled("stream$impl$TlsModulePhase$$tlsActor"));
        abort = load(cl, lineage.type("io.Tcp$Abort$")).getField("MODULE$").get(null);
        close = load(cl, lineage.type("io.Tcp$Close$")).getField("MODULE$").get(null);
        Class<?> graphInterpreters = load(cl, lineage.type("stream.impl.fusing.GraphInterpreter$"));
        interpreters = graphInterpreters.getField("MODULE$").get(null);
        currentInterpreter = graphInterpreters.getMethod("currentInterpreterOrNull");
        demux = load(cl, lineage.type(DEMUX));
        demuxIsServer = demux.getMethod("isServer");
        lastStreamId = demux.getMethod("lastStreamId");
        Class<?> finiteDuration = load(cl, "scala.concurrent.duration.FiniteDuration");
        Class<?> executionContext = load(cl, "scala.concurrent.ExecutionContext");
        terminate = demux.getMethod("terminate", finiteDuration, executionContext);
        Class<?> durationFactory = load(cl, "scala.concurrent.duration.FiniteDuration$");
        durations = durationFactory.getField("MODULE$").get(null);
        duration = durationFactory.getMethod("apply", long.class, java.util.concurrent.TimeUnit.class);
        // runs a callback on the thread that completes the future: the agent waits for none
        parasitic = load(cl, "scala.concurrent.ExecutionContext$parasitic$").getField("MODULE$").get(null);
        requestStart = load(cl, lineage.type(PARSER_OUTPUT + "RequestStart"));
        completionHandling = Reflection.field(load(cl, lineage.type(PARSER)), "completionHandling");
        Class<?> parsers = load(cl, lineage.type("http.impl.engine.parsing.HttpMessageParser$"));
        headerPartial = parsers.getMethod("CompletionIsMessageStartError")
                .invoke(parsers.getField("MODULE$").get(null));
    }

    /** The TCP connection's actor of a TCP stage serving an accepted connection; null for a client's. */
    Object inboundActor(Object role) throws ReflectiveOperationException {
        return inbound.isInstance(role) ? inboundConnection.invoke(role) : null;
    }

    InetSocketAddress remote(Object tcpLogic) throws IllegalAccessException {
        return (InetSocketAddress) remote.get(tcpLogic);
    }

    /** The stage's own actor (the sender of its commands to the TCP actor), once it started; else null. */
    Object stageActor(Object logic) {
        try {
            Object actor = stageActor.invoke(logic);
            return actor == null ? null : stageActorRef.invoke(actor);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The other stages that run with this one (one island: a connection's, TLS or not), this one among them. */
    Object[] island(Object logic) throws ReflectiveOperationException {
        Object running = interpreter.invoke(logic);
        return running == null ? new Object[0] : (Object[]) logics.invoke(running);
    }

    /**
     * The TCP stage of the graph this thread runs now: a protocol's stages, materialized inside a connection's stream
     * once it chose one, run beside it. Null outside a stream, or in one without a TCP stage.
     */
    Object runningTcpLogic() throws ReflectiveOperationException {
        Object running = currentInterpreter.invoke(interpreters);
        if (running == null) {
            return null;
        }
        for (Object l : (Object[]) logics.invoke(running)) {
            if (tcpLogic.isInstance(l)) {
                return l;
            }
        }
        return null;
    }

    boolean isServerDemux(Object logic) throws ReflectiveOperationException {
        return demux.isInstance(logic) && (Boolean) demuxIsServer.invoke(logic);
    }

    /** Streams an HTTP/2 connection processed: its peer's, odd, up to the last. */
    long streams(Object demuxLogic) throws ReflectiveOperationException {
        return ((Integer) lastStreamId.invoke(demuxLogic) + 1) / 2;
    }

    /**
     * Pekko's own graceful end of an HTTP/2 connection: a GOAWAY naming the last stream (NO_ERROR), then the close once
     * none is open, or at {@code graceMs}. Safe from any thread (it is the stage's async callback).
     */
    void terminate(Object demuxLogic, long graceMs) throws ReflectiveOperationException {
        terminate.invoke(demuxLogic, duration.invoke(durations, graceMs, java.util.concurrent.TimeUnit.MILLISECONDS),
                parasitic);
    }

    boolean isTcpLogic(Object logic) {
        return tcpLogic.isInstance(logic);
    }

    Object tcpActorOf(Object tcpLogic) throws ReflectiveOperationException {
        return inboundActor(role.invoke(tcpLogic));
    }

    /** An idle logic's stage timeout, in nanoseconds. */
    long ownIdleNanos(Object idleLogic) throws ReflectiveOperationException {
        Field[] f = IDLE_FIELDS.get(idleLogic.getClass());
        return f == null ? -1 : (Long) toNanos.invoke(stageTimeout.invoke(f[1].get(idleLogic)));
    }

    /** The idle logic's deadline (nano time), as its timer will next compare it; read off its thread. */
    long nextDeadline(Object idleLogic) throws IllegalAccessException {
        Field[] f = IDLE_FIELDS.get(idleLogic.getClass());
        return f == null ? Long.MIN_VALUE : f[0].getLong(idleLogic);
    }

    /** Asks the TCP connection's actor to abort (a reset, pending writes dropped), as its stage does on a failure. */
    void abort(Object tcpActor, Object sender) throws ReflectiveOperationException {
        tell.invoke(tcpActor, abort, sender);
    }

    /** Asks the TCP connection's actor to close: its pending writes, then a FIN. */
    void close(Object tcpActor, Object sender) throws ReflectiveOperationException {
        tell.invoke(tcpActor, close, sender);
    }

    boolean isRequestStart(Object output) {
        return requestStart.isInstance(output);
    }

    /**
     * Whether the parser holds part of a request's start: bytes of a message whose header is not whole (its input's end
     * would be a bad message start). Not while it waits between messages, nor in a body.
     */
    boolean inHeader(Object parser) throws IllegalAccessException {
        return completionHandling.get(parser) == headerPartial;
    }

    /** The TLS stage's actor a TLS phase started: in a field Pekko's Scala mangled and Akka's did not. */
    Object tlsActorOf(Object tlsPhase) throws IllegalAccessException {
        return tlsActor.get(tlsPhase);
    }

    /**
     * Whether a local TLS stage's actor has sent its close_notify and not yet read the peer's (its engine's outbound
     * done, its inbound not); false if unknown.
     */
    static boolean closedOutboundOnly(Object tlsActor) {
        Object actor = tlsActor == null ? null : actorOf(tlsActor);
        try {
            Object engine = actor == null ? null : actor.getClass().getMethod("engine").invoke(actor);
            return engine instanceof SSLEngine && ((SSLEngine) engine).isOutboundDone()
                    && !((SSLEngine) engine).isInboundDone();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** The actor behind a local reference (its cell's), or null. */
    private static Object actorOf(Object actorRef) {
        try {
            Object cell = actorRef.getClass().getMethod("underlying").invoke(actorRef);
            return cell.getClass().getMethod("actor").invoke(cell);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A local TCP connection actor's socket, reached through its cell: for a connection accepted before the agent
     * came, whose addresses it did not see. Null where the reference is not a local one.
     */
    static SocketChannel channelOf(Object tcpActor) {
        Object actor = actorOf(tcpActor);
        try {
            return actor == null ? null : (SocketChannel) actor.getClass().getMethod("channel").invoke(actor);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
