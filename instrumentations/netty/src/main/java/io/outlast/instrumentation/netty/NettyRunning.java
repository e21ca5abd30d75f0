package io.outlast.instrumentation.netty;

import io.outlast.family.ConnectionTracker;
import io.outlast.family.Reflection;
import io.outlast.family.RunningThreads;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.outlast.family.Reflection.load;

/**
 * Netty's connections open when the agent installs, which Netty alone would never time out. Each event loop is
 * found from the thread that runs it (its task wraps the loop, through Netty's and the frameworks' own thread
 * factories), and its channels are listed on the loop itself, where they are read and written: through the
 * loop's own list (4.1), its I/O handler's (4.2's epoll) or its selector's keys (4.2's NIO). What each connection is doing then is read from its
 * pipeline: a request whose response has not begun keeps it from counting as idle, a header begun is timed by the
 * header deadline from then on. A connection whose state cannot be read is met at its next read, as before.
 */
final class NettyRunning {
    private static final int DEPTH = 3;
    /** Channels met per task on their loop: its own reads and writes wait for one batch, not for all its channels. */
    private static final int BATCH = 64;
    private static final String SERVER_CODEC = "io.netty.handler.codec.http.HttpServerCodec";
    /** Armeria's fork of Netty's codec (a queue of methods, as Netty 4.1's). */
    private static final String ARMERIA_SERVER_CODEC = "com.linecorp.armeria.server.HttpServerCodec";
    private static final String ARMERIA_HTTP1_DECODER = "com.linecorp.armeria.server.Http1RequestDecoder";

    private NettyRunning() {
    }

    static void meet(RunningThreads threads, NettyConnections connections) throws Exception {
        ConnectionTracker tracker = connections.tracker();
        Map<ClassLoader, Class<?>> loopTypes = new IdentityHashMap<>();
        Set<Object> loops = RunningThreads.identitySet();
        threads.forEach((thread, task) -> {
            ClassLoader cl = task == null ? null : task.getClass().getClassLoader();
            Class<?> loopType = cl == null ? null : loopTypes.computeIfAbsent(cl, NettyRunning::eventLoopType);
            Object loop = loopType == null ? null : find(task, loopType, DEPTH);
            if (loop instanceof Executor && loops.add(loop)) {
                ((Executor) loop).execute(() -> {
                    try {
                        meet((Executor) loop, channels(loop), 0, connections);
                    } catch (Throwable t) {
                        tracker.failed(t);
                    }
                });
            }
        });
    }

    /**
     * A batch of a loop's channels at a time, each batch a task of its own: the loop's own reads and writes run
     * between them, so an attach holds a loop a few milliseconds at most, however many connections it serves.
     */
    private static void meet(Executor loop, List<Object> channels, int from, NettyConnections connections) {
        int to = Math.min(channels.size(), from + BATCH);
        for (int i = from; i < to; i++) {
            try {
                connections.meetRunning(channels.get(i));
            } catch (Throwable t) {
                // this one is met at its next read, as one the agent could not read
                connections.tracker().failed(t);
            }
        }
        if (to < channels.size()) {
            try {
                Runnable next = () -> meet(loop, channels, to, connections);
                if (loop instanceof ScheduledExecutorService) {
                    // scheduled, not queued: a loop runs the tasks queued while it runs tasks in the same pass (64
                    // before it looks at the clock), so queued batches ran back to back, the loop's I/O waiting for
                    // thousands of channels; a scheduled one is taken up at its next pass, after its I/O
                    ((ScheduledExecutorService) loop).schedule(next, 0, TimeUnit.MILLISECONDS);
                } else {
                    loop.execute(next);
                }
            } catch (RejectedExecutionException e) {
                // the loop has terminated, closing its channels itself
            }
        }
    }

    private static Class<?> eventLoopType(ClassLoader cl) {
        try {
            return load(cl, "io.netty.channel.EventLoop");
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** On the loop: its channels. */
    private static List<Object> channels(Object loop) throws ReflectiveOperationException {
        List<Object> out = new ArrayList<>();
        try {
            Iterator<?> it = (Iterator<?>) loop.getClass().getMethod("registeredChannelsIterator").invoke(loop);
            while (it.hasNext()) {
                out.add(it.next());
            }
            return out;
        } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof UnsupportedOperationException)) {
                throw e;
            }
        } catch (NoSuchMethodException before4144) {
            // 4.1 before .44: the selector's keys below
        }
        Object ioHandler = Reflection.readOrNull(loop, "ioHandler");
        if (ioHandler != null) {
            // 4.2's epoll (and io_uring) handler lists its channels itself; its NIO one has the selector below
            try {
                Method list = Reflection.method(ioHandler.getClass(), "registeredChannelsList");
                out.addAll((List<?>) list.invoke(ioHandler));
                return out;
            } catch (NoSuchMethodException nio) {
                // the selector's keys
            }
        }
        Class<?> channelType = load(loop.getClass().getClassLoader(), "io.netty.channel.Channel");
        Object selector = find(loop, Selector.class, 2);
        if (selector == null) {
            return out;
        }
        for (SelectionKey key : ((Selector) selector).keys()) {
            Object attached = key.attachment();
            if (channelType.isInstance(attached)) {
                out.add(attached);
            } else if (attached != null) {
                // 4.2: a registration, whose handle is the channel's unsafe, an inner class of the channel
                Object handle = value(attached, "handle");
                Object channel = handle == null ? null : Reflection.outer(handle);
                if (channelType.isInstance(channel)) {
                    out.add(channel);
                }
            }
        }
        return out;
    }

    /**
     * The first object of the wanted type among {@code from} and what its own fields refer to, up to {@code depth}
     * steps; the JDK's objects (collections, threads) are not looked into.
     */
    static Object find(Object from, Class<?> wanted, int depth) {
        if (wanted.isInstance(from)) {
            return from;
        }
        if (depth == 0 || isJdk(from.getClass())) {
            return null;
        }
        for (Class<?> c = from.getClass(); c != null && !isJdk(c); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                Object v;
                try {
                    f.setAccessible(true);
                    v = f.get(from);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                Object found = v == null ? null : find(v, wanted, depth - 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static boolean isJdk(Class<?> c) {
        String n = c.getName();
        return c.isArray() || n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.")
                || n.startsWith("sun.");
    }

    /**
     * Armeria's own idle on a connection, from its pipeline: 0 where it has none, -1 where the connection is not
     * Armeria's (or not HTTP/1 or HTTP/2 yet).
     */
    static long armeriaIdleNanos(Iterable<Map.Entry<String, ?>> pipeline) {
        for (Map.Entry<String, ?> e : pipeline) {
            Object h = e.getValue();
            if (h.getClass().getName().startsWith("com.linecorp.armeria.")) {
                long nanos = armeriaIdleNanos(armeriaKeepAlive(h));
                if (nanos >= 0) {
                    return nanos;
                }
            }
        }
        return -1;
    }

    /** The keep-alive handler an Armeria channel handler holds (its HTTP/2 one), or its encoder does (HTTP/1), or null. */
    private static Object armeriaKeepAlive(Object handler) {
        Object keepAlive = value(handler, "keepAliveHandler");
        return keepAlive != null ? keepAlive : value(value(handler, "encoder"), "keepAliveHandler");
    }

    /** Its idle (0: none, as a handler made only for Armeria's other limits has), or -1 for no keep-alive handler. */
    private static long armeriaIdleNanos(Object keepAlive) {
        if (keepAlive == null) {
            return -1;
        }
        Object idleNanos = value(keepAlive, "connectionIdleTimeNanos");
        return idleNanos instanceof Long ? (Long) idleNanos : 0;
    }

    /** A field's value, or null where this version has no such field (4.1 and 4.2 differ, and Vert.x). */
    static Object value(Object o, String name) {
        return o == null ? null : Reflection.readOrNull(o, name);
    }

    /** What a connection open before the agent is doing, read from its pipeline on its loop. */
    static final class Doing {
        /** Requests read whose responses have not begun; -1 when the pipeline does not say. */
        int pending = -1;
        boolean header;
        boolean body;
        /** A state the agent does not time: upgraded, a bad message. */
        boolean other;
        /** {@code System.nanoTime()} of its last message read or written where its server records it (Armeria); 0. */
        long lastActivityNanos;
        /** Armeria's own idle on it (0: none), or -1: not Armeria's. */
        long armeriaIdleNanos = -1;

        static Doing of(Iterable<Map.Entry<String, ?>> pipeline) {
            Doing d = new Doing();
            for (Map.Entry<String, ?> e : pipeline) {
                Object h = e.getValue();
                String type = h.getClass().getName();
                if (type.equals(SERVER_CODEC) || type.equals(ARMERIA_SERVER_CODEC)) {
                    // the methods of requests whose responses have not begun: a queue (4.1), a count and an overflow (4.2)
                    Object queue = value(h, "queue");
                    Object inline = value(h, "methodQueueSize");
                    Object overflow = value(h, "methodOverflowQueue");
                    if (queue instanceof Collection) {
                        d.pending = ((Collection<?>) queue).size();
                    } else if (inline instanceof Integer) {
                        d.pending = (Integer) inline + (overflow instanceof Collection ? ((Collection<?>) overflow).size() : 0);
                    }
                } else if (type.equals(ARMERIA_HTTP1_DECODER)) {
                    // Armeria's keep-alive timer counts from it (only while it has an idle of its own)
                    Object keepAlive = armeriaKeepAlive(h);
                    d.armeriaIdleNanos = armeriaIdleNanos(keepAlive);
                    Object last = d.armeriaIdleNanos > 0 ? value(keepAlive, "lastConnectionIdleTime") : null;
                    d.lastActivityNanos = last instanceof Long ? (Long) last : 0;
                } else if (type.equals("io.vertx.core.net.impl.VertxHandler")) {
                    Object conn = value(h, "conn");
                    if (conn != null && conn.getClass().getName().equals("io.vertx.core.http.impl.Http1xServerConnection")) {
                        d.pending = value(conn, "requestInProgress") != null || value(conn, "responseInProgress") != null ? 1 : 0;
                    }
                }
                Object state = decoderState(h);
                if (state != null) {
                    String s = state.toString();
                    boolean header = s.equals("READ_INITIAL") || s.equals("READ_HEADER");
                    d.header |= header;
                    d.body |= s.startsWith("READ_") && !header;
                    d.other |= s.equals("BAD_MESSAGE") || s.equals("UPGRADED");
                }
            }
            return d;
        }

        private static Object decoderState(Object handler) {
            String type = handler.getClass().getName();
            Object h = type.equals(SERVER_CODEC) || type.equals(ARMERIA_SERVER_CODEC) ? value(handler, "inboundHandler")
                    : handler;
            for (Class<?> c = h == null ? null : h.getClass(); c != null; c = c.getSuperclass()) {
                if (c.getName().equals("io.netty.handler.codec.http.HttpObjectDecoder")) {
                    return value(h, "currentState");
                }
            }
            return null;
        }
    }
}
