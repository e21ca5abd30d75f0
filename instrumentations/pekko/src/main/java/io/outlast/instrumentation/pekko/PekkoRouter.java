package io.outlast.instrumentation.pekko;

import io.outlast.bootstrap.PekkoHooks;

/**
 * The hooks of both lineages (their advice calls one bootstrap class): each call goes to the family of the object it
 * is about, by its package. A materialization is gathered here, before it is known whose it is.
 */
final class PekkoRouter extends PekkoHooks {
    private static final PekkoRouter ROUTER = new PekkoRouter();
    /** Inside a materialization, nothing of a connection gathered yet. */
    private static final Object OPEN = new Object();
    /** Outside one: the next on this thread is an accepted connection's of a binding with HTTP/2 enabled. */
    private static final Object HTTP2_NEXT = new Object();

    private volatile PekkoConnections pekko;
    private volatile PekkoConnections akka;
    /** On a thread materializing a graph: OPEN, or what it gathered of a connection; null outside one. */
    private final ThreadLocal<Object> gathering = new ThreadLocal<>();

    private PekkoRouter() {
    }

    /** A lineage's family started (its hooks) or stopped (null); the bootstrap API points here while one is on. */
    static synchronized void set(Lineage lineage, PekkoConnections connections) {
        if (lineage == Lineage.AKKA) {
            ROUTER.akka = connections;
        } else {
            ROUTER.pekko = connections;
        }
        PekkoHooks.set(ROUTER.pekko != null || ROUTER.akka != null ? ROUTER : null);
    }

    private PekkoConnections of(Object pekkoObject) {
        return pekkoObject == null ? null : Lineage.of(pekkoObject.getClass()) == Lineage.AKKA ? akka : pekko;
    }

    @Override
    public Object materializing() {
        Object enclosing = gathering.get();
        if (enclosing == HTTP2_NEXT) {
            Gathered g = new Gathered();
            g.http2Binding = true;
            gathering.set(g);
            return null;
        }
        gathering.set(OPEN);
        return enclosing;
    }

    @Override
    public void materialized(Object enclosing) {
        Object gathered = gathering.get();
        gathering.set(enclosing);
        if (gathered instanceof Gathered) {
            PekkoConnections family = of(((Gathered) gathered).anyStage());
            if (family != null) {
                family.claim((Gathered) gathered);
            }
        }
    }

    /** What this thread's materialization gathers into; null outside one. */
    private Gathered gathered() {
        Object g = gathering.get();
        if (g == OPEN) {
            g = new Gathered();
            gathering.set(g);
        }
        return (Gathered) g;
    }

    @Override
    public void http2ConnectionNext() {
        if (gathering.get() == null) {
            gathering.set(HTTP2_NEXT);
        }
    }

    @Override
    public void tcpStage(Object logic, Object role) {
        Gathered g = gathered();
        PekkoConnections family = g == null ? null : of(logic);
        if (family != null) {
            family.tcpStage(g, logic, role);
        }
    }

    @Override
    public void parserMade(Object parser) {
        Gathered g = gathered();
        if (g != null) {
            g.parser = parser;
        }
    }

    @Override
    public void idleMade(Object logic) {
        Gathered g = gathered();
        if (g != null) {
            g.idleLogic = logic;
        }
    }

    @Override
    public void tlsMade(Object tlsPhase) {
        Gathered g = gathered();
        PekkoConnections family = g == null ? null : of(tlsPhase);
        if (family != null) {
            g.tlsActor = family.tlsActorOf(tlsPhase);
        }
    }

    @Override
    public void demuxMade(Object demux) {
        Gathered g = gathered();
        if (g != null) {
            g.demux = demux;
        }
    }

    @Override
    public void tcpConnected(Object actor, Object self, Object channel) {
        PekkoConnections family = of(actor);
        if (family != null) {
            family.tcpConnected(actor, self, channel);
        }
    }

    @Override
    public void requestBytes(Object parser) {
        PekkoConnections family = of(parser);
        if (family != null) {
            family.requestBytes(parser);
        }
    }

    @Override
    public void parsed(Object parser, Object output) {
        PekkoConnections family = of(parser);
        if (family != null) {
            family.parsed(parser, output);
        }
    }

    @Override
    public void handshakeDone(Object tlsActor) {
        PekkoConnections family = of(tlsActor);
        if (family != null) {
            family.handshakeDone(tlsActor);
        }
    }

    @Override
    public void tlsClosing(Object tlsActor, boolean peerFirst) {
        PekkoConnections family = of(tlsActor);
        if (family != null) {
            family.tlsClosing(tlsActor, peerFirst);
        }
    }

    @Override
    public long idleDeadline(Object logic, Object stage, long nextDeadline) {
        PekkoConnections family = of(logic);
        return family == null ? nextDeadline : family.idleDeadline(logic, nextDeadline);
    }

    @Override
    public void tcpCloseAsked(Object self, Object closedEvent) {
        PekkoConnections family = of(self);
        if (family != null) {
            family.tcpCloseAsked(self, closedEvent);
        }
    }

    @Override
    public void tcpStopping(Object self, Object closeInformation) {
        PekkoConnections family = of(self);
        if (family != null) {
            family.tcpStopping(self, closeInformation);
        }
    }

    @Override
    public void tcpStopped(Object self) {
        PekkoConnections family = of(self);
        if (family != null) {
            family.tcpStopped(self);
        }
    }

    @Override
    public void stopping(Object what) {
        PekkoConnections family = of(what);
        if (family != null) {
            family.stopping(what);
        }
    }
}
