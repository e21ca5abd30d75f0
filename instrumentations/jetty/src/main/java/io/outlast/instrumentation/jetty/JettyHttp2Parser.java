package io.outlast.instrumentation.jetty;

import io.outlast.family.ApiCache;
import io.outlast.family.HeaderPhase;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.load;

/**
 * Where a Jetty HTTP/2 session's parser is (9.4-12.1): between frames, or in one begun (a HEADERS frame that stops
 * arriving is the HTTP/2 slow-loris), or in the connection's preface. Jetty parses as bytes arrive and keeps no
 * timeout of its own for a frame: the end point's idle is reset by each byte.
 */
final class JettyHttp2Parser {
    private static final ApiCache<JettyHttp2Parser> CACHE = new ApiCache<>(JettyHttp2Parser::new);

    private final Method getParser;
    private final Class<?> serverParser;
    private final Field serverState;
    private final Field prefaceParser;
    private final Field prefaceCursor;
    /** Its state, and its frame header parser's: whether a frame has begun. */
    private final Field state;
    private final Field headerParser;
    private final Field headerState;
    private final Field headerCursor;
    /**
     * 12+: when the frame began, timed by the parser at its first byte; null before 12, whose parser times the first
     * look for a frame, bytes or not (10, 11), or nothing (9.4).
     */
    private final Method beginNanos;

    /** The parser's API for a session's loader, or null where part of it is not there. */
    static JettyHttp2Parser of(Object session) {
        return CACHE.get(session.getClass());
    }

    private JettyHttp2Parser(ClassLoader cl) throws ReflectiveOperationException {
        getParser = load(cl, "org.eclipse.jetty.http2.HTTP2Session").getMethod("getParser");
        Class<?> parser = load(cl, "org.eclipse.jetty.http2.parser.Parser");
        serverParser = load(cl, "org.eclipse.jetty.http2.parser.ServerParser");
        serverState = field(serverParser, "state");
        prefaceParser = field(serverParser, "prefaceParser");
        prefaceCursor = field(load(cl, "org.eclipse.jetty.http2.parser.PrefaceParser"), "cursor");
        state = field(parser, "state");
        headerParser = field(parser, "headerParser");
        Class<?> header = load(cl, "org.eclipse.jetty.http2.parser.HeaderParser");
        headerState = field(header, "state");
        headerCursor = field(header, "cursor");
        beginNanos = major(cl) >= 12 ? parser.getMethod("getBeginNanoTime") : null;
    }

    /** Jetty's major version, or 0 where it does not say. */
    private static int major(ClassLoader cl) {
        try {
            String version = (String) load(cl, "org.eclipse.jetty.util.Jetty").getField("VERSION").get(null);
            return Integer.parseInt(version.substring(0, version.indexOf('.')));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * The {@code System.nanoTime()} at which the frame being parsed began; {@link HeaderPhase#UNTIMED} where one has
     * begun untimed (before 12, or the preface); {@link HeaderPhase#NONE} between frames.
     */
    long frameBegun(Object session) throws ReflectiveOperationException {
        Object parser = getParser.invoke(session);
        if (serverParser.isInstance(parser)) {
            String phase = ((Enum<?>) serverState.get(parser)).name();
            if (phase.equals("PREFACE")) {
                return prefaceCursor.getInt(prefaceParser.get(parser)) > 0 ? HeaderPhase.UNTIMED : HeaderPhase.NONE;
            }
            if (phase.equals("SETTINGS")) {
                // the preface's magic came, its SETTINGS frame not yet
                return HeaderPhase.UNTIMED;
            }
        }
        Object header = headerParser.get(parser);
        if (((Enum<?>) state.get(parser)).name().equals("HEADER") && ((Enum<?>) headerState.get(header)).name().equals("LENGTH")
                && headerCursor.getInt(header) == 0) {
            return HeaderPhase.NONE;
        }
        return beginNanos == null ? HeaderPhase.UNTIMED : (Long) beginNanos.invoke(parser);
    }
}
