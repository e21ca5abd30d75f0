package io.outlast.instrumentation.netty;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.NettyConnectionState;
import io.outlast.bootstrap.NettyHooks;
import io.outlast.family.Timeouts;
import io.outlast.family.Addresses;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.EndpointReport;
import io.outlast.family.LiveFamily;
import io.outlast.family.Reflection;
import io.outlast.family.RunningThreads;
import io.outlast.family.ServerObjects;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Netty's server connections as the agent sees them. Netty has no HTTP timeouts of its own: the codec's advice
 * counts each connection's requests and responses (header reads, headers in, last content out, pipelined
 * requests counted) and {@link NettyTimeouts} stamps their times and closes it on the agent's idle and header
 * timeouts. Reactor Netty's and Vert.x's own idle settings are set to the agent's idle as they are read.
 */
final class NettyConnections extends NettyHooks implements LiveFamily {
    static final String FAMILY = "netty";
    private static final String VERTX_SHUTDOWN_EVENT = "io.vertx.core.net.impl.ShutdownEvent";

    private final ConnectionTracker tracker;
    private final ConnectionRegistry registry;
    private final ServerObjects<Boolean> servers = new ServerObjects<>();
    /** The channel whose idle handler is firing on this thread: a close it makes is an idle close. */
    private final ThreadLocal<Object> idleFiring = new ThreadLocal<>();
    /** Vert.x's own idle as the application set it, last read (-1: none, -2: not seen). */
    private volatile long vertxOwnIdleMs = -2;
    private final ThreadLocal<Integer> vertxOwnIdleRaw = new ThreadLocal<>();
    /** gRPC's maxConnectionIdle as the application set it, last seen (-2: not seen; gRPC makes none without one). */
    private volatile long grpcOwnIdleMs = -2;
    /** Armeria's idle as the application set it, last seen (-1: none, -2: not seen), and its version once seen. */
    private volatile long armeriaOwnIdleMs = -2;
    private volatile String armeriaVersion;
    /** Server channels asked to close: their connections' closes from then on are shutdown closes. */
    private final Set<Object> stoppingServers = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
    /** Whether any server channel was asked to close: until then a close asks nothing of that set's lock. */
    private volatile boolean serversStopping;

    NettyConnections(ConnectionTracker tracker) {
        this.tracker = tracker;
        this.registry = tracker.registry();
    }

    /** The settings in force, read each time: an attach may change them while the server runs. */
    private Timeouts timeouts() {
        return tracker.timeouts();
    }

    ConnectionTracker tracker() {
        return tracker;
    }

    @Override
    public Object active(Object child, Object parent, SocketAddress local, SocketAddress remote) {
        try {
            NettyApi api = NettyApi.of(child.getClass());
            if (api != null && supported(api)) {
                // not known to be HTTP yet: its pipeline is set up once it is registered
                return registry.putIfAbsent(child, new NettyConnection(this, api, parent, FAMILY, local, remote,
                        System.currentTimeMillis()));
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
        return null;
    }

    @Override
    public Object decoding(Object decoder, Object channel, Object state) {
        try {
            NettyConnectionState s = track(decoder, channel, state);
            if (s == null) {
                return null;
            }
            NettyConnection c = (NettyConnection) s;
            if (!c.http) {
                c.http = true;
                report(c.api(), channel, c);
            }
            // the channel's own state: the advice counts into it from now on (one met after an attach has none)
            s.counted = s == state;
            return s;
        } catch (Throwable t) {
            tracker.failed(t);
            return null;
        }
    }

    @Override
    public void encoding(Object encoder, Object channel, Object state, int status, boolean last) {
        try {
            NettyConnectionState s = track(encoder, channel, state);
            if (s == null) {
                return;
            }
            NettyConnection c = (NettyConnection) s;
            if (status >= 100 && status < 200) {
                // informational: the request goes on; 101 hands the connection to another protocol
                if (status == 101) {
                    c.upgraded = true;
                    s.counted = false;
                }
                return;
            }
            if (last) {
                s.responsesOut++;
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void closing(Object channel, boolean stopping) {
        try {
            NettyConnectionState s = (NettyConnectionState) registry.get(channel);
            if (s != null) {
                NettyConnection c = (NettyConnection) s;
                String closer = idleFiring.get() == channel ? CloseEvent.SERVER_IDLE
                        : stopping || stopping(c) ? CloseEvent.SHUTDOWN
                        : c.tls != 0 && c.api().tlsClosedByPeer(channel) ? CloseEvent.PEER
                        : h2IdleClose(channel, s) ? CloseEvent.SERVER_IDLE : CloseEvent.SERVER;
                s.mark(closer, waitedMs(s));
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void exception(Object channel, Throwable cause) {
        if (cause instanceof IOException) {
            NettyConnectionState s = (NettyConnectionState) registry.get(channel);
            if (s != null) {
                s.mark(CloseEvent.ERROR, waitedMs(s));
            }
        }
    }

    @Override
    public void userEvent(Object channel, Object event) {
        if (event != null && event.getClass().getName().equals(VERTX_SHUTDOWN_EVENT)) {
            NettyConnectionState s = (NettyConnectionState) registry.get(channel);
            if (s != null) {
                ((NettyConnection) s).shutdown = true;
            }
        }
    }

    /**
     * On its loop, at install: a connection open before the agent came, followed from now on where its pipeline
     * says what it is doing (HTTP/2: its connection handler). Its wait is counted from now: the time of its last
     * read is not kept by Netty.
     */
    @SuppressWarnings("unchecked")
    void meetRunning(Object channel) throws Exception {
        NettyApi api = NettyApi.of(channel.getClass());
        if (api == null || registry.get(channel) != null || !api.isServerChild(channel) || !supported(api)) {
            return;
        }
        boolean http1 = api.hasServerCodec(channel);
        if (!http1 && api.h2Handler(channel) == null) {
            return;
        }
        long handlerMs = api.pipelineIdleMs(channel);
        if (handlerMs > 0 && (timeouts().idleMs <= 0 || handlerMs <= timeouts().idleMs)) {
            // an idle handler of the application's fires first and is met then, knowing the last activity exactly
            return;
        }
        if (!http1) {
            // HTTP/2: the sweep reads its streams from its connection handler
            NettyConnectionState s = newState(api, channel);
            if (registry.putIfAbsent(channel, s) == s) {
                report(api, channel, (NettyConnection) s);
            }
            return;
        }
        NettyRunning.Doing doing = NettyRunning.Doing.of((Iterable<Map.Entry<String, ?>>) api.pipeline(channel));
        if (doing.other || (doing.pending < 0 && !doing.header)) {
            // upgraded, or a request that may be in progress: its next read tells
            return;
        }
        NettyConnectionState s = newState(api, channel);
        NettyConnection c = (NettyConnection) s;
        c.http = true;
        s.requestsIn = Math.max(0, doing.pending);
        s.inBody = doing.body;
        if (doing.armeriaIdleNanos >= 0) {
            armeriaMet(channel, doing.armeriaIdleNanos);
        }
        if (doing.header) {
            s.headerReads = 1;
        } else if (doing.lastActivityNanos != 0 && doing.pending == 0 && !doing.body) {
            // waiting since its last message, as its server recorded it: not from now
            s.idleSinceMillis = System.currentTimeMillis()
                    - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - doing.lastActivityNanos);
        }
        if (registry.putIfAbsent(channel, s) == s) {
            report(api, channel, c);
        }
    }

    @Override
    public void meetRunning(RunningThreads threads) throws Exception {
        NettyRunning.meet(threads, this);
    }

    /** The family stops: the advice calls the hooks again for these states, which a later start follows anew. */
    @Override
    public void stop() {
        registry.forEach((channel, s) -> ((NettyConnectionState) s).counted = false);
    }

    @Override
    public void closeRequested(Object channel) {
        // the advice calls this for server channels only
        stoppingServers.add(channel);
        serversStopping = true;
    }

    @Override
    public void groupClosing(Object group) {
        try {
            for (Object channel : (Iterable<?>) group) {
                NettyConnectionState s = (NettyConnectionState) registry.get(channel);
                if (s != null) {
                    ((NettyConnection) s).shutdown = true;
                }
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void inactive(Object channel) {
        try {
            NettyConnectionState s = (NettyConnectionState) registry.remove(channel);
            NettyApi api = NettyApi.of(channel.getClass());
            if (api == null) {
                return;
            }
            if (s == null) {
                // open since before the agent came
                s = api.isServerChild(channel) && supported(api) ? newState(api, channel) : null;
                if (s == null) {
                    return;
                }
            }
            NettyConnection c = (NettyConnection) s;
            boolean h2 = http2(channel, s);
            if (!h2 && !c.http && !(c.http = api.hasServerCodec(channel))) {
                return;
            }
            // a close no one marked is the peer's end of input: Netty closes it without passing the pipeline
            boolean stopping = ConnectionTracker.readsUnmarked(s, true) && stopping(api, channel, s);
            tracker.closed(s, stopping, CloseEvent.PEER, waitedMs(s), h2 ? (c.h2LastStream + 1) / 2 : s.requestsIn);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public boolean idleFiring(Object handler, Object ctx, Object event) {
        try {
            NettyApi api = NettyApi.of(handler.getClass());
            if (api == null) {
                return false;
            }
            Object channel = api.channel(ctx);
            long handlerMs = api.idleEventTimeoutMs(handler, event);
            NettyConnectionState known = (NettyConnectionState) registry.get(channel);
            if (known != null && timeouts().idleMs > 0 && handlerMs >= 0 && http2(channel, known)) {
                // Reactor Netty's handler on an HTTP/2 connection counts reads, whatever its streams: the agent's
                // sweep closes it when no stream has been open for idle
                return true;
            }
            NettyConnectionState s = handlerMs < 0 ? null : track(handler, channel);
            if (s == null) {
                return false;
            }
            if (known == null) {
                // met here, after an attach: it has been idle at least this long
                s.idleSinceMillis = System.currentTimeMillis() - handlerMs;
            }
            if (timeouts().idleMs > 0 && handlerMs < timeouts().idleMs && waiting(s)) {
                // ends the wait sooner than the agent's idle: dropped, the agent's sweep closes it on time
                return true;
            }
            if (timeouts().headerMs > 0 && headerArriving(s)) {
                // a header is arriving: the agent's header deadline decides, an idle timer must not cut into it
                return true;
            }
            idleFiring.set(channel);
        } catch (Throwable t) {
            tracker.failed(t);
        }
        return false;
    }

    @Override
    public void idleFired() {
        idleFiring.remove();
    }

    @Override
    public Object reactorIdle(Object pipeline, Object idleTimeout) {
        try {
            NettyApi api = NettyApi.of(pipeline.getClass());
            if (api != null) {
                NettyConnectionState s = track(pipeline, api.pipelineChannel(pipeline));
                if (s != null) {
                    ((NettyConnection) s).ownIdleMs = idleTimeout == null ? -1 : ((Duration) idleTimeout).toMillis();
                }
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
        return timeouts().idleMs > 0 ? Duration.ofMillis(timeouts().idleMs) : idleTimeout;
    }

    @Override
    public long grpcIdleNanos(long maxConnectionIdleNanos) {
        grpcOwnIdleMs = TimeUnit.NANOSECONDS.toMillis(maxConnectionIdleNanos);
        return timeouts().idleMs > 0 ? TimeUnit.MILLISECONDS.toNanos(timeouts().idleMs) : maxConnectionIdleNanos;
    }

    @Override
    public long armeriaIdle(Object channel, String name, long idleTimeoutMillis) {
        if (!"server".equals(name)) {
            return idleTimeoutMillis;
        }
        try {
            armeriaSeen(channel, idleTimeoutMillis <= 0 ? -1 : idleTimeoutMillis);
            long held = armeriaHeldMs();
            // none of its own (a handler for its other limits): the agent's sweep alone closes on idle
            return held > 0 && idleTimeoutMillis > 0 ? held : idleTimeoutMillis;
        } catch (Throwable t) {
            tracker.failed(t);
            return idleTimeoutMillis;
        }
    }

    @Override
    public void armeriaIdleTimer(Object keepAliveHandler) {
        try {
            long held = armeriaHeldMs();
            if (held <= 0 || !Boolean.TRUE.equals(Reflection.read(keepAliveHandler, "isServer"))) {
                return;
            }
            long nanos = (Long) Reflection.read(keepAliveHandler, "connectionIdleTimeNanos");
            long heldNanos = TimeUnit.MILLISECONDS.toNanos(held);
            if (nanos > 0 && nanos != heldNanos) {
                // made before the attach, with Armeria's own value: held from now on (its timer then waits on)
                if (armeriaOwnIdleMs == -2) {
                    armeriaOwnIdleMs = TimeUnit.NANOSECONDS.toMillis(nanos);
                }
                Reflection.write(keepAliveHandler, "connectionIdleTimeNanos", heldNanos);
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /**
     * An Armeria connection met open, its keep-alive timer's idle read from it (0: none): Armeria's own value unless the
     * agent held it already (an attach after a reset), and then not taken for Armeria's.
     */
    private void armeriaMet(Object channel, long idleNanos) {
        long ms = idleNanos <= 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(idleNanos);
        armeriaSeen(channel, armeriaOwnIdleMs == -2 && ms != armeriaHeldMs() ? ms : armeriaOwnIdleMs);
    }

    /** An Armeria server's connection, with this idle of its own (-1: none). */
    private void armeriaSeen(Object channel, long ownIdleMs) {
        armeriaOwnIdleMs = ownIdleMs;
        if (armeriaVersion == null) {
            armeriaVersion = ArmeriaVersion.of(channel.getClass().getClassLoader());
        }
    }

    /**
     * What Armeria's own idle is held at: above the agent's idle, and its header deadline (Armeria's timer counts no
     * part of a header as activity), by two sweep periods (a stamp's lateness, and the sweep's) and a second, so that
     * the agent's close comes first; -1 without an idle of the agent's.
     */
    private long armeriaHeldMs() {
        long idle = timeouts().idleMs;
        long header = timeouts().headerMs;
        return idle > 0 ? Math.max(idle, header) + 2 * NettyTimeouts.sweepPeriodMs(idle, header) + 1000 : -1;
    }

    @Override
    public int vertxIdle(Object options, int idleTimeout) {
        if (!isVertxServerOptions(options)) {
            return idleTimeout;
        }
        // Vert.x reads the unit next: the application's own idle is known then
        vertxOwnIdleRaw.set(idleTimeout);
        if (timeouts().idleMs <= 0) {
            return idleTimeout;
        }
        // read with the unit below, which the agent makes milliseconds
        return (int) Math.min(Integer.MAX_VALUE, timeouts().idleMs);
    }

    @Override
    public Object vertxIdleUnit(Object options, Object unit) {
        if (!isVertxServerOptions(options)) {
            return unit;
        }
        Integer raw = vertxOwnIdleRaw.get();
        vertxOwnIdleRaw.remove();
        // options Vert.x copied from the application's after the agent answered hold the agent's value: not the application's
        boolean agents = timeouts().idleMs > 0 && raw != null && raw == timeouts().idleMs && unit == TimeUnit.MILLISECONDS;
        if (raw != null && unit instanceof TimeUnit && !agents) {
            vertxOwnIdleMs = raw <= 0 ? -1 : ((TimeUnit) unit).toMillis(raw);
        }
        if (timeouts().idleMs <= 0) {
            return unit;
        }
        return TimeUnit.MILLISECONDS;
    }

    private static boolean isVertxServerOptions(Object options) {
        for (Class<?> c = options.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("io.vertx.core.http.HttpServerOptions")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The server is stopping: the channel that accepted the connection is closed (or asked to close), its event
     * loop shuts down, or the server said so.
     */
    private boolean stopping(NettyApi api, Object channel, NettyConnectionState s) throws ReflectiveOperationException {
        NettyConnection c = (NettyConnection) s;
        return stopping(c) || !api.isOpen(c.parent) || api.isShuttingDown(api.eventLoop(channel));
    }

    /** What Netty's own state does not tell: the server said it stops, or its channel was asked to close. */
    private boolean stopping(NettyConnection c) {
        return c.shutdown || (serversStopping && stoppingServers.contains(c.parent));
    }

    /**
     * The server channel has served HTTP/1: a TLS handshake on it is an HTTP connection's start even where the
     * server adds its HTTP codec only after the handshake (Vert.x).
     */
    boolean servesHttp(Object parent) {
        return servers.has(parent);
    }

    /**
     * HTTP/2 (by ALPN, prior knowledge or an h2c upgrade): whether the connection speaks it, its times then stamped
     * here from its connection handler. A wait begins when no stream is open and none has begun since the last
     * look; a stream's header is arriving while no stream is open and a frame's bytes are held. Both up to a sweep
     * period late, never early. On the sweep's thread, or on the event loop before a close.
     */
    boolean http2(Object channel, NettyConnectionState s) throws Exception {
        NettyConnection c = (NettyConnection) s;
        Object handler = c.h2Handler();
        if (handler == null) {
            if (c.h2Active >= 0 || c.api().h2 == null || (c.http && (!c.upgraded || c.upgradedLooks >= 3))) {
                // its handler gone with the channel, or HTTP/1 that has not switched (or switched to another protocol)
                return c.h2Active >= 0;
            }
            if (c.upgraded) {
                c.upgradedLooks++;
            }
            handler = c.api().h2Handler(channel);
            if (handler == null) {
                return false;
            }
            c.h2 = new WeakReference<>(handler);
            s.protocol = "h2";
            report(c.api(), channel, c);
        }
        NettyHttp2 h2 = c.api().h2;
        int last = h2.lastStream(handler);
        int active = h2.activeStreams(handler);
        if (active > 0 || last != c.h2LastStream || c.h2Active < 0) {
            s.idleSinceMillis = System.currentTimeMillis();
            c.h2LastStream = last;
        }
        c.h2Active = active;
        if (active > 0 || !h2.framePending(handler)) {
            if (s.headerStartNanos != 0) {
                s.headerStartNanos = 0;
            }
        } else if (s.headerStartNanos == 0) {
            s.headerStartNanos = System.nanoTime();
        }
        return true;
    }

    /**
     * An HTTP/2 connection the server closes itself with no stream open, having waited the agent's idle: a
     * framework's own idle limit, which the agent set to its idle (gRPC's {@code maxConnectionIdle}). The wait is
     * read as stamped, up to a sweep period under.
     */
    private boolean h2IdleClose(Object channel, NettyConnectionState s) throws Exception {
        long idleMs = timeouts().idleMs;
        if (idleMs <= 0 || !http2(channel, s) || ((NettyConnection) s).h2Active != 0) {
            return false;
        }
        return waitedMs(s) >= idleMs - NettyTimeouts.sweepPeriodMs(idleMs, timeouts().headerMs);
    }

    /** Waiting for a request: every request answered, no header or body arriving. */
    static boolean waiting(NettyConnectionState s) {
        return !s.inBody && s.headerReads == s.headerReadsDone && s.responsesOut >= s.requestsIn;
    }

    /** A request's header is arriving: bytes read outside a body since the last complete header. */
    static boolean headerArriving(NettyConnectionState s) {
        return !s.inBody && s.headerReads != s.headerReadsDone;
    }

    /**
     * How long it has waited, by the sweep's stamp: under by up to one sweep period, never over; none if it
     * answered a response since the last sweep.
     */
    static long waitedMs(NettyConnectionState s) {
        NettyConnection c = (NettyConnection) s;
        if (c.h2Active >= 0) {
            return c.h2Active == 0 ? System.currentTimeMillis() - s.idleSinceMillis : 0;
        }
        return waiting(s) && s.responsesOut == c.stampedResponses ? System.currentTimeMillis() - s.idleSinceMillis : 0;
    }

    private boolean supported(NettyApi api) {
        if (api.versionFromClasses) {
            tracker.warnOnce("netty: no version files (META-INF/io.netty.versions.properties, lost when an uber-jar"
                    + " merges Netty's jars): " + api.version + " by its classes");
        }
        return tracker.supports(api.version);
    }

    /** The state of a server connection, met here if new; null for one the agent does not follow. */
    private NettyConnectionState track(Object nettyObject, Object channel) throws ReflectiveOperationException {
        return track(nettyObject, channel, null);
    }

    /**
     * The state the channel's attribute holds (set at its start), else the registry's: a connection open before
     * an attach is met here.
     */
    private NettyConnectionState track(Object nettyObject, Object channel, Object attached) throws ReflectiveOperationException {
        if (attached instanceof NettyConnection && ((NettyConnection) attached).owner == this) {
            NettyConnection c = (NettyConnection) attached;
            return c.upgraded ? null : c;
        }
        NettyConnectionState s = (NettyConnectionState) registry.get(channel);
        if (s != null) {
            return ((NettyConnection) s).upgraded ? null : s;
        }
        NettyApi api = NettyApi.of(nettyObject.getClass());
        // without an HTTP codec it is upgraded (a WebSocket's handshake removes it) or was never HTTP: its own
        if (api == null || !api.isServerChild(channel) || !supported(api) || !api.hasServerCodec(channel)) {
            return null;
        }
        return (NettyConnectionState) registry.putIfAbsent(channel, newState(api, channel));
    }

    private NettyConnectionState newState(NettyApi api, Object channel) throws ReflectiveOperationException {
        return new NettyConnection(this, api, api.parent(channel), FAMILY, api.local(channel), api.remote(channel),
                System.currentTimeMillis());
    }

    /** One line per server channel, at its first HTTP connection. */
    @SuppressWarnings("unchecked")
    void report(NettyApi api, Object channel, NettyConnection c) throws Exception {
        servers.get(c.parent, srv -> Boolean.TRUE, (srv, v) -> {
            if (armeriaVersion == null) {
                // an Armeria connection made before an attach, met before its keep-alive timer: read from it
                long nanos = NettyRunning.armeriaIdleNanos((Iterable<Map.Entry<String, ?>>) api.pipeline(channel));
                if (nanos >= 0) {
                    armeriaMet(channel, nanos);
                }
            }
            // Vert.x's options as the application set them; Reactor Netty's setting; gRPC's; else an idle handler
            // of the application's (one made before the agent came)
            long own = vertxOwnIdleMs > -2 ? vertxOwnIdleMs : c.ownIdleMs > -2 ? c.ownIdleMs
                    : grpcOwnIdleMs > -2 ? grpcOwnIdleMs : armeriaOwnIdleMs > -2 ? armeriaOwnIdleMs
                    : api.pipelineIdleMs(channel);
            String armeria = armeriaVersion;
            tracker.report(new EndpointReport(FAMILY, api.version,
                    armeria == null ? "server" : "armeria " + armeria + " server", Addresses.format(api.local(srv)), own,
                    timeouts().idleMs > 0 ? timeouts().idleMs : own, -1,
                    timeouts().headerMs > 0 ? timeouts().headerMs : -1));
        });
    }
}
