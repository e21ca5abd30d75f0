package io.outlast.instrumentation.helidon;

import io.outlast.family.ApiCache;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

import static io.outlast.family.Reflection.field;
import static io.outlast.family.Reflection.load;
import static io.outlast.family.Reflection.method;

/**
 * Helidon's HTTP/2 connection ({@code helidon-webserver-http2}, where the application has it), resolved once from
 * its loader: what the agent needs to end an idle one gracefully, a GOAWAY written through the connection's own
 * writer (which takes frames from the streams' threads as well, under its lock) before Helidon's close.
 */
final class HelidonHttp2 {
    private static final ApiCache<HelidonHttp2> CACHE = new ApiCache<>(HelidonHttp2::new);

    private final Method writeConnectionFrame;
    private final Field lastStreamId;
    private final Field clientSettings;
    private final Constructor<?> goAway;
    private final Object noError;
    private final Object noFlags;
    private final Method toFrameData;

    static HelidonHttp2 of(Class<?> connectionClass) {
        return CACHE.get(connectionClass);
    }

    private HelidonHttp2(ClassLoader cl) throws ReflectiveOperationException {
        Class<?> connection = load(cl, "io.helidon.webserver.http2.Http2Connection");
        Class<?> frameData = load(cl, "io.helidon.http.http2.Http2FrameData");
        Class<?> settings = load(cl, "io.helidon.http.http2.Http2Settings");
        Class<?> errorCode = load(cl, "io.helidon.http.http2.Http2ErrorCode");
        Class<?> flags = load(cl, "io.helidon.http.http2.Http2Flag$NoFlags");
        Class<?> goAwayFrame = load(cl, "io.helidon.http.http2.Http2GoAway");
        writeConnectionFrame = method(connection, "writeConnectionFrame", frameData);
        lastStreamId = field(connection, "lastStreamId");
        clientSettings = field(connection, "clientSettings");
        goAway = goAwayFrame.getConstructor(int.class, errorCode, String.class);
        noError = errorCode.getField("NO_ERROR").get(null);
        noFlags = flags.getMethod("create").invoke(null);
        toFrameData = goAwayFrame.getMethod("toFrameData", settings, int.class, flags);
    }

    /** The streams the peer opened on the connection (its stream ids are odd, from 1, each above the last). */
    long streams(Object connection) throws IllegalAccessException {
        return (lastStreamId.getInt(connection) + 1) / 2;
    }

    /** A GOAWAY naming the last stream the connection took, no error: the peer opens no stream after it. */
    void goAway(Object connection) throws ReflectiveOperationException {
        Object frame = goAway.newInstance(lastStreamId.getInt(connection), noError, "");
        writeConnectionFrame.invoke(connection, toFrameData.invoke(frame, clientSettings.get(connection), 0, noFlags));
    }
}
