package io.outlast.instrumentation.ktor;

import io.outlast.bootstrap.CloseEvent;
import io.outlast.bootstrap.ConnectionRegistry;
import io.outlast.bootstrap.KtorHooks;
import io.outlast.family.Addresses;
import io.outlast.family.ConnectionTracker;
import io.outlast.family.EndpointReport;
import io.outlast.family.LiveFamily;
import io.outlast.family.Reflection;
import io.outlast.family.Timeouts;

import java.lang.reflect.Field;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ktor CIO's connections. Its idle is its pipeline writer's wait for the next request's head (45 s by default):
 * given to each connection's pipeline as it starts, so the agent's idle is given there instead.
 */
final class KtorConnections extends KtorHooks implements LiveFamily {
    static final String FAMILY = "ktor";
    /** Kotlin's {@code Duration} as a raw long: nanoseconds shifted left by one (the low bit 0), when they fit. */
    private static final long MAX_NANOS = 4_611_686_018_426_999_999L;

    private final ConnectionTracker tracker;
    private static final String PARSE_CONTINUATION = "io.ktor.http.cio.HttpParserKt$parseRequest$1";
    private static final String REQUEST = "io.ktor.http.cio.Request";
    private static final long BACKSTOP_MS = 2000;
    private static final long SWEEP_MS = 100;
    private static final String SUSPENDED = "kotlin.coroutines.intrinsics.CoroutineSingletons";
    private static final ClassValue<String> VERSIONS = new ClassValue<String>() {
        @Override
        protected String computeValue(Class<?> connectionType) {
            return version(connectionType);
        }
    };

    private final Map<String, Long> servers = new ConcurrentHashMap<>();
    private final ConnectionRegistry byInput = new ConnectionRegistry();
    private final ConnectionRegistry byOutput = new ConnectionRegistry();
    /** By the reader's continuation, one per connection, which every parse's completes. */
    private final ConnectionRegistry byReader = new ConnectionRegistry();

    KtorConnections(ConnectionTracker tracker) {
        this.tracker = tracker;
    }

    private Timeouts timeouts() {
        return tracker.timeouts();
    }

    /**
     * The writer's first call names its connection; a resume names only its continuation, which keeps the connection
     * and the idle its next wait will take: a connection open before the agent is met there, and each wait is given
     * the agent's idle as it begins (where settings change, from the next wait on).
     */
    @Override
    public long writerLoop(Object connection, long rawIdle, Object continuation) {
        try {
            if (connection != null) {
                KtorConnection s = track(connection, rawIdle, continuation);
                return s == null ? rawIdle : idleFor(s);
            }
            WriterFrame frame = WriterFrame.of(continuation.getClass());
            Object resumed = frame == null ? null : frame.connection(continuation);
            if (resumed == null) {
                return rawIdle;
            }
            KtorConnection s = (KtorConnection) byOutput.get(Reflection.read(resumed, "output"));
            if (s == null && !frame.waitEndedEmpty(continuation)
                    && (s = track(resumed, frame.idle(continuation), continuation)) != null) {
                // met after the agent came: a writer resumes for a request's response, its parse was before
                s.requests = 1;
            }
            if (s != null && !s.readerSeen && frame.waitEndedWithResponse(continuation)) {
                // a head in, parsed where the agent could not see it (begun before it met the connection)
                s.waitingSinceMillis = 0;
                s.headerStartMillis = 0;
            }
            if (s != null) {
                long wanted = idleFor(s);
                if (frame.idle(continuation) != wanted) {
                    frame.idle(continuation, wanted);
                }
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
        return rawIdle;
    }

    /** The raw idle a wait of the connection takes now. */
    private long idleFor(KtorConnection s) {
        long idleMs = timeouts().idleMs;
        long headerMs = timeouts().headerMs;
        if (headerMs > 0) {
            // CIO's one wait would cut a header begun late in it: the agent ends waits itself, this one is a backstop
            return raw((idleMs > 0 ? idleMs : s.ownIdleMs) + headerMs + BACKSTOP_MS);
        }
        return raw(idleMs > 0 ? idleMs : s.ownIdleMs);
    }

    /** A connection first met (at its start, or at a resume after the agent came): its state, or null if not governed. */
    private KtorConnection track(Object connection, long rawIdle, Object continuation) throws ReflectiveOperationException {
        String version = VERSIONS.get(connection.getClass());
        if (!tracker.supports(version)) {
            return null;
        }
        KtorConnection s = new KtorConnection(Reflection.read(connection, "localAddress"),
                Reflection.read(connection, "remoteAddress"), System.currentTimeMillis());
        s.ownIdleMs = millis(rawIdle);
        Object output = Reflection.read(connection, "output");
        KtorConnection known = (KtorConnection) byOutput.putIfAbsent(output, s);
        if (known != s) {
            return known;
        }
        byInput.putIfAbsent(Reflection.read(connection, "input"), s);
        String address = address(connection);
        if (servers.putIfAbsent(address, s.ownIdleMs) == null) {
            report(address, version, s.ownIdleMs);
        }
        Coroutines kotlin = Coroutines.of(connection.getClass());
        Object job = kotlin.pipelineJob(continuation);
        tracker.registry().putIfAbsent(job, s);
        kotlin.whenComplete(job, cause -> completed(job, cause));
        return s;
    }

    /**
     * A parse's first call names the input and the reader's continuation; a resume names neither (Kotlin passes null
     * for the input), only the parse's own continuation, whose completion is the reader's: the key both share.
     */
    @Override
    public void parsing(Object input, Object continuation) {
        try {
            if (input != null) {
                KtorConnection s = (KtorConnection) byInput.get(input);
                if (s != null) {
                    byReader.putIfAbsent(continuation, s);
                    s.readerSeen = true;
                    // a head's start seen before (a parse the agent missed) is that request's, not the next's
                    s.headerStartMillis = 0;
                    s.waitingSinceMillis = System.currentTimeMillis();
                }
            }
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    @Override
    public void parsed(Object input, Object result, Throwable thrown) {
        // the continuation is not passed here: the result tells a suspension, which changes nothing
        KtorConnection s = input != null ? (KtorConnection) byInput.get(input) : null;
        parsed(s, result, thrown);
    }

    /** The request line is in: a head begun, whether its first bytes came with the parse's first call or later. */
    @Override
    public void headersBegun(Object input) {
        KtorConnection s = input == null ? null : (KtorConnection) byInput.get(input);
        if (s != null && s.waitingSinceMillis != 0 && s.headerStartMillis == 0) {
            s.headerStartMillis = System.currentTimeMillis();
        }
    }

    /**
     * A flush of a connection's output ends a response; one of its input (CIO's socket reader, after each read) is
     * bytes in, a head's first while the reader waits for one.
     */
    @Override
    public void flushing(Object channel) {
        KtorConnection in = (KtorConnection) byInput.get(channel);
        if (in != null) {
            try {
                if (in.waitingSinceMillis != 0 && in.headerStartMillis == 0 && PendingWrites.any(channel)) {
                    in.headerStartMillis = System.currentTimeMillis();
                }
            } catch (Throwable t) {
                tracker.failed(t);
            }
            return;
        }
        KtorConnection s = (KtorConnection) byOutput.get(channel);
        if (s != null) {
            long now = System.currentTimeMillis();
            s.lastWriteMillis = now;
            if (!s.readerSeen && s.waitingSinceMillis == 0) {
                // met after the agent came, its reader's parse begun before: it waits for the next head now
                s.headerStartMillis = 0;
                s.waitingSinceMillis = now;
            }
        }
    }

    /** With a header deadline, the agent ends CIO's waits: idle from a response's end, a header from its first bytes. */
    void start() {
        tracker.sweepConnections(t -> t.headerMs > 0 ? SWEEP_MS : -1, this::sweep);
    }

    private void sweep() {
        long headerMs = timeouts().headerMs;
        if (headerMs <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        tracker.registry().forEach((job, state) -> {
            KtorConnection s = (KtorConnection) state;
            long waiting = s.waitingSinceMillis;
            if (waiting == 0 || s.readerEnded) {
                return;
            }
            try {
                long header = s.headerStartMillis;
                long idleMs = timeouts().idleMs > 0 ? timeouts().idleMs : s.ownIdleMs;
                long quietSince = Math.max(waiting, s.lastWriteMillis);
                if (header != 0 && now - header >= headerMs) {
                    if (s.mark(CloseEvent.SERVER_HEADER, 0)) {
                        Coroutines.of(job.getClass()).cancel(job);
                    }
                } else if (header == 0 && idleMs > 0 && now - quietSince >= idleMs) {
                    if (s.mark(CloseEvent.SERVER_IDLE, now - quietSince)) {
                        Coroutines.of(job.getClass()).cancel(job);
                    }
                }
            } catch (Throwable t) {
                tracker.failed(t);
            }
        });
    }

    @Override
    public void resumedParse(Object continuation, Object result, Throwable thrown) {
        try {
            parsed(resumedParser(continuation), result, thrown);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    /**
     * A resumed parse's connection: by the reader's continuation, which its own completes; for a parse begun before
     * the agent met the connection, by the input its continuation keeps (passed null on a resume; kept while the
     * request line is read).
     */
    private KtorConnection resumedParser(Object continuation) throws ReflectiveOperationException {
        KtorConnection byCaller = (KtorConnection) byReader.get(Coroutines.completion(continuation));
        if (byCaller != null || !continuation.getClass().getName().equals(PARSE_CONTINUATION)) {
            return byCaller;
        }
        for (Field f : SpilledLocals.of(continuation.getClass())) {
            Object value = f.get(continuation);
            KtorConnection s = value == null ? null : (KtorConnection) byInput.find(value);
            if (s != null) {
                // the rest of this parse keeps no input: it is known by its caller from now on
                Object reader = Coroutines.completion(continuation);
                if (reader != null) {
                    byReader.putIfAbsent(reader, s);
                }
                return s;
            }
        }
        return null;
    }

    private void parsed(KtorConnection s, Object result, Throwable thrown) {
        if (s == null || result != null && result.getClass().getName().equals(SUSPENDED)) {
            return;
        }
        if (thrown instanceof CancellationException) {
            // the pipeline cancelled (a stop, or the agent's own close, marked before): not the peer's end
            s.readerCancelled = true;
        } else if (thrown != null || result == null) {
            s.readerEnded = true;
        } else if (result.getClass().getName().equals(REQUEST)) {
            s.requests++;
            s.waitingSinceMillis = 0;
            s.headerStartMillis = 0;
        }
    }

    /** The output's close while the reader still waits for a head: the writer's wait for one ran out, the idle's. */
    @Override
    public void outputClosing(Object output, Throwable cause) {
        KtorConnection s = (KtorConnection) byOutput.get(output);
        if (s == null) {
            return;
        }
        long since = s.waitingSinceMillis;
        if (cause != null) {
            if (!(cause instanceof CancellationException)) {
                s.mark(CloseEvent.ERROR, 0);
            }
        } else if (!s.readerEnded && since != 0) {
            s.mark(CloseEvent.SERVER_IDLE, System.currentTimeMillis() - since);
        }
    }

    private void completed(Object job, Object cause) {
        try {
            KtorConnection s = (KtorConnection) tracker.registry().remove(job);
            if (s == null) {
                return;
            }
            boolean cancelled = cause instanceof CancellationException || s.readerCancelled;
            long since = s.waitingSinceMillis;
            String closer = s.readerEnded ? CloseEvent.PEER : cancelled ? CloseEvent.SHUTDOWN : CloseEvent.SERVER;
            tracker.closed(s, false, closer, since != 0 ? System.currentTimeMillis() - since : 0, s.requests);
        } catch (Throwable t) {
            tracker.failed(t);
        }
    }

    private static String address(Object connection) throws ReflectiveOperationException {
        Object local = Reflection.read(connection, "localAddress");
        return local == null ? "?" : Addresses.format((SocketAddress) local);
    }

    private void report(String address, String version, long ownMs) {
        long idleMs = timeouts().idleMs;
        tracker.report(new EndpointReport(FAMILY, version, "cio server", address, ownMs,
                idleMs > 0 ? idleMs : ownMs, -1, timeouts().headerMs));
    }

    /**
     * The jar's own version where its manifest is there; in an uber-jar (the usual Ktor build) the manifests are
     * merged away, and the line is told by Ktor 3's {@code EmbeddedServer}.
     */
    static String version(Class<?> cioClass) {
        Package p = cioClass.getPackage();
        if (p != null && "ktor-server-cio".equals(p.getImplementationTitle()) && p.getImplementationVersion() != null) {
            return p.getImplementationVersion();
        }
        try {
            Class.forName("io.ktor.server.engine.EmbeddedServer", false, cioClass.getClassLoader());
            return "3.x";
        } catch (ClassNotFoundException | LinkageError e) {
            return "unknown";
        }
    }

    static long millis(long raw) {
        long value = raw >> 1;
        return (raw & 1) == 0 ? value / 1_000_000 : value;
    }

    static long raw(long millis) {
        long nanos = millis * 1_000_000;
        return nanos <= MAX_NANOS && nanos / 1_000_000 == millis ? nanos << 1 : (millis << 1) | 1;
    }
}
