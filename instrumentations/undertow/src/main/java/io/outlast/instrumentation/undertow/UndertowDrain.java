package io.outlast.instrumentation.undertow;

import io.outlast.bootstrap.ConnectionState;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.Drain;
import io.outlast.family.HeaderPhase;
import io.outlast.family.Reflection;

import java.io.Closeable;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * An embedded Undertow stopping with a drain set ({@code drain=}). {@code Undertow.stop()} closes its listening
 * channels and then shuts its XNIO worker down, which closes every connection at once, idle ones too. The agent drains
 * before it: it closes the listening channels (new connections refused), makes each request from then on not
 * persistent (Undertow answers it with {@code Connection: close} and closes after it), and holds the stop until the
 * proxy has let every connection go or the drain ends.
 */
final class UndertowDrain {
    private final ConnectionTracker tracker;
    private final HeaderPhase<UndertowConnection> closer;
    /**
     * The listening channels of the servers met (Undertow's started since the agent came, and every XNIO listener
     * running as it came), for the JVM's exit; held weakly.
     */
    private final Set<Object> listening = Collections.newSetFromMap(new WeakHashMap<>());

    UndertowDrain(ConnectionTracker tracker, HeaderPhase<UndertowConnection> closer) {
        this.tracker = tracker;
        this.closer = closer;
    }

    void started(Object undertow) throws ReflectiveOperationException {
        met(channels(undertow));
    }

    /** At install: the listeners running already. */
    synchronized void met(List<?> channels) {
        listening.addAll(channels);
    }

    /** Entry of {@code Undertow.stop()}, on the stopping thread: returns when drained. */
    void stopping(Object undertow) throws Exception {
        long drainMs = tracker.timeouts().drainMs;
        if (drainMs <= 0) {
            return;
        }
        int[] ports = stopAccepting(channels(undertow));
        if (ports.length > 0) {
            tracker.beginDrain(ports, drainMs).await(this::closeLeft);
        } else {
            // its listeners closed already (the exit's drain, or a graceful shutdown's): that drain holds the stop
            tracker.awaitUnderWay(this::closeLeft);
        }
    }

    /**
     * The JVM exiting, or a {@code GracefulShutdownHandler} beginning to refuse requests (503: Spring Boot's graceful
     * shutdown does it before it stops Undertow): every listener met drains first. A handler does not know its
     * listeners: all of the JVM's drain, as they do when Spring Boot's context closes (its management server's too).
     */
    void drainAll() throws Exception {
        long drainMs = tracker.timeouts().drainMs;
        if (drainMs <= 0) {
            return;
        }
        List<Object> channels;
        synchronized (this) {
            channels = new ArrayList<>(listening);
        }
        stopAccepting(channels);
        // the exit's drain and Spring Boot's graceful shutdown come at once: whichever closed the listeners, both wait
        tracker.beginDrain(null, drainMs).await(this::closeLeft);
    }

    /**
     * Exit of {@code HttpTransferEncoding.setupRequest(HttpServerExchange)}: a request on a connection a drain holds
     * is not persistent. One volatile read when no drain is under way.
     */
    void requestStarting(Object exchange) throws ReflectiveOperationException {
        if (!tracker.draining()) {
            return;
        }
        Object connection = exchange.getClass().getMethod("getConnection").invoke(exchange);
        if (tracker.holds(connection)) {
            exchange.getClass().getMethod("setPersistent", boolean.class).invoke(exchange, false);
        }
    }

    private static List<?> channels(Object undertow) throws ReflectiveOperationException {
        Object channels = Reflection.read(undertow, "channels");
        return channels instanceof List ? new ArrayList<>((List<?>) channels) : Collections.emptyList();
    }

    /** Closes the listening channels still open; their ports. */
    private static int[] stopAccepting(List<?> channels) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (Object channel : channels) {
            if (!((Channel) channel).isOpen()) {
                continue;
            }
            // through XNIO's public interface: the channel's own class is not public
            Object address = Reflection.load(channel.getClass().getClassLoader(), "org.xnio.channels.BoundChannel")
                    .getMethod("getLocalAddress").invoke(channel);
            if (address instanceof InetSocketAddress) {
                ports.add(((InetSocketAddress) address).getPort());
            }
            ((Closeable) channel).close();
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    private void closeLeft(Object connection, ConnectionState s) throws Exception {
        Drain.markLeft(s, System.currentTimeMillis() - s.idleSinceMillis);
        closer.close(connection, (UndertowConnection) s);
    }
}
