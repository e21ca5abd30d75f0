package io.outlast.bootstrap;

/**
 * What advice inlined into Ktor's CIO engine calls (parameters are {@code Object}: the bootstrap loader cannot see
 * Ktor). Until the agent installs the implementation every call does nothing.
 */
public abstract class KtorHooks {
    private static final KtorHooks NONE = new KtorHooks() {
    };
    private static volatile KtorHooks current = NONE;

    public static KtorHooks get() {
        return current;
    }

    public static void set(KtorHooks hooks) {
        current = hooks == null ? NONE : hooks;
    }

    /**
     * Entry of {@code ServerPipelineKt.pipelineWriterLoop}, the connection's writer, whose wait for the next response
     * is CIO's idle: its first call names the connection and the idle (a Kotlin {@code Duration}, raw); a resume names
     * neither (null, 0), only the loop's own continuation, which keeps both. The idle to wait instead, raw.
     */
    public long writerLoop(Object connection, long rawIdle, Object continuation) {
        return rawIdle;
    }

    /**
     * Entry of {@code HttpParserKt.parseRequest(ByteReadChannel, Continuation)}: the reader waits for a request's head
     * (first entry) or goes on reading one (a resume, its own continuation given back).
     */
    public void parsing(Object input, Object continuation) {
    }

    /** Exit of {@code parseRequest}: a request's head, null at the end of the input, or a failure; or suspended. */
    public void parsed(Object input, Object result, Throwable thrown) {
    }

    /** Entry of {@code HttpParserKt.parseHeaders(ByteReadChannel, CharArrayBuilder, MutableRange, Continuation)}. */
    public void headersBegun(Object input) {
    }

    /**
     * Entry of {@code ByteChannel.flush(Continuation)}: a channel's bytes passed on (a response's to a connection's
     * output; a read's into its input).
     */
    public void flushing(Object channel) {
    }

    /** Exit of {@code parseRequest} resumed (its own continuation given back): as {@link #parsed}. */
    public void resumedParse(Object continuation, Object result, Throwable thrown) {
    }

    /** Entry of {@code ByteWriteChannelOperationsKt.close(ByteWriteChannel, Throwable)}: a channel's end. */
    public void outputClosing(Object output, Throwable cause) {
    }
}
