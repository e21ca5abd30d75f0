package io.outlast.instrumentation.pekko;

import io.outlast.family.SweptConnectionState;

import java.lang.ref.WeakReference;

/**
 * What the agent keeps for one connection of a Pekko HTTP (or Akka HTTP) server, keyed by its TCP actor. Its stages'
 * hooks run on the connection's stream actor, one at a time; the sweep reads what they write.
 */
final class PekkoConnection extends SweptConnectionState {
    private static final WeakReference<Object> NONE = new WeakReference<>(null);

    /** When the parser's latest bytes arrived (ns): a header its parser then holds in part began with them. */
    long bytesNanos;
    /** Its TLS handshake is not done: timed as a header, from the accept. */
    volatile boolean handshaking;
    /** The stage that times its idle (weakly: it is the connection's), and that stage's own timeout (ns; -1: none). */
    volatile WeakReference<Object> idleLogic = NONE;
    volatile long ownIdleNanos = -1;
    /** The deadline the agent last gave the idle stage, and the last element's time it was counted from (ns). */
    long givenDeadline = Long.MIN_VALUE;
    volatile long lastActivityNanos;
    /** The TCP stage (weakly), whose actor is the sender of the agent's close. */
    volatile WeakReference<Object> tcpLogic = NONE;
    /** Its HTTP/2 demultiplexer (weakly), once it chose HTTP/2; and the second idle stage its HTTP/2 stack has. */
    volatile WeakReference<Object> demux = NONE;
    volatile WeakReference<Object> innerIdle = NONE;
    /** When its HTTP/2 end began (ns), its GOAWAY sent and its close to follow; 0 before. */
    long goAwayNanos;
    /** The agent asked its TCP actor to close it, a grace after its GOAWAY. */
    boolean closeAsked;
    /** Its TLS stage's actor (weakly), where it has one. */
    volatile WeakReference<Object> tlsActor = NONE;
    /** The pekko-http version and API of the connection's loader, once it is known to be an HTTP server's. */
    volatile PekkoApi api;

    PekkoConnection(String family, Object local, Object remote, long openedMillis) {
        super(null, family, local, remote, openedMillis);
    }

    Object idleLogic() {
        return idleLogic.get();
    }

    void idleLogic(Object logic) {
        idleLogic = new WeakReference<>(logic);
    }

    Object demux() {
        return demux.get();
    }

    void demux(Object logic) {
        demux = new WeakReference<>(logic);
    }

    Object innerIdle() {
        return innerIdle.get();
    }

    void innerIdle(Object logic) {
        innerIdle = new WeakReference<>(logic);
    }

    Object tlsActor() {
        return tlsActor.get();
    }

    void tlsActor(Object actor) {
        tlsActor = new WeakReference<>(actor);
    }

    Object tcpLogic() {
        return tcpLogic.get();
    }

    void tcpLogic(Object logic) {
        tcpLogic = new WeakReference<>(logic);
    }
}
