package io.outlast.bootstrap;

/**
 * What advice inlined into Apache Pekko's classes (its TCP actors, its stream stages, Pekko HTTP's request parser)
 * calls; parameters are {@code Object}: the bootstrap loader cannot see Pekko. Until the agent installs the
 * implementation every call does nothing.
 */
public abstract class PekkoHooks {
    private static final PekkoHooks NONE = new PekkoHooks() {
    };
    private static volatile PekkoHooks current = NONE;

    public static PekkoHooks get() {
        return current;
    }

    public static void set(PekkoHooks hooks) {
        current = hooks == null ? NONE : hooks;
    }

    /**
     * Entry of a stream's materialization ({@code PhasedFusingActorMaterializer.materialize}): a connection's stages
     * are made within it. Returns what an enclosing one had gathered, for {@link #materialized}.
     */
    public Object materializing() {
        return null;
    }

    /** Exit of the materialization that {@link #materializing} returned {@code enclosing} for. */
    public void materialized(Object enclosing) {
    }

    /** Entry of {@code TcpConnection.completeConnect}: a TCP connection's actor, registered; its channel. */
    public void tcpConnected(Object actor, Object self, Object channel) {
    }

    /** Exit of the constructor of a TCP connection's stream stage ({@code TcpConnectionStage$TcpStreamLogic}). */
    public void tcpStage(Object logic, Object role) {
    }

    /** Exit of the constructor of a server's request parser (Pekko HTTP's {@code HttpRequestParser} logic). */
    public void parserMade(Object parser) {
    }

    /** Entry of the request parser's {@code onPush()}: bytes of a request arrive. */
    public void requestBytes(Object parser) {
    }

    /**
     * Entry of the request parser's {@code handleParserOutput}: what it parsed, handed on (a request's start with its
     * headers, a streamed body's end, an error), or that it needs more bytes.
     */
    public void parsed(Object parser, Object output) {
    }

    /**
     * Entry of {@code HttpConnectionIdleTimeoutBidi.apply(Duration, Some(peer))}: a binding with HTTP/2 enabled builds
     * an accepted connection's graph, which this thread materializes next.
     */
    public void http2ConnectionNext() {
    }

    /** Exit of the constructor of an HTTP/2 demultiplexer's logic ({@code Http2Demux$Logic$1$}). */
    public void demuxMade(Object demux) {
    }

    /** Exit of {@code TlsModulePhase.materializeAtomic}: the phase, which holds the TLS stage's actor it started. */
    public void tlsMade(Object tlsPhase) {
    }

    /** Entry of {@code TLSActor.handshakeFinished()}. */
    public void handshakeDone(Object tlsActor) {
    }

    /**
     * Exit of {@code TLSActor.doWrap} once the engine's outbound is done: the server's close_notify is wrapped,
     * {@code peerFirst} if the peer's had been read before it.
     */
    public void tlsClosing(Object tlsActor, boolean peerFirst) {
    }

    /** Exit of the constructor of an idle timeout stage's logic ({@code Timers$IdleTimeoutBidi}'s). */
    public void idleMade(Object logic) {
    }

    /**
     * Entry of the idle stage's {@code onTimer}, which fails the stream once {@code nextDeadline} (nano time: the
     * last element plus the stage's timeout) has passed: the deadline to check instead.
     */
    public long idleDeadline(Object logic, Object stage, long nextDeadline) {
        return nextDeadline;
    }

    /** Entry of {@code TcpConnection.handleClose}: the peer's end of stream, or a close command. */
    public void tcpCloseAsked(Object self, Object closedEvent) {
    }

    /** Entry of {@code TcpConnection.stopWith}: the connection ends, with its event (closed, aborted, an error). */
    public void tcpStopping(Object self, Object closedEvent) {
    }

    /** Entry of {@code TcpConnection.postStop()}: its actor stopped (a close that did not go through stopWith too). */
    public void tcpStopped(Object self) {
    }

    /** Entry of {@code ActorSystemImpl.terminate()} or of a binding's {@code terminate}: the server stops. */
    public void stopping(Object what) {
    }
}
