package io.outlast.bootstrap;

/**
 * What advice inlined into Undertow's classes calls (parameters are {@code Object}: the bootstrap loader
 * cannot see Undertow). Until the agent installs the implementation every call does nothing.
 */
public abstract class UndertowHooks {
    private static final UndertowHooks NONE = new UndertowHooks() {
    };
    private static volatile UndertowHooks current = NONE;
    /*
     * The shortest idle and parse timeouts an agent armed Undertow's timers with in this JVM, kept here (the bootstrap
     * loader) across a reset and the next attach: a timer armed by the agent before a reset keeps its deadline until
     * it fires, and the next agent must not read it as armed with Undertow's own (longer) value, which would date the
     * wait far back and close the connection at once.
     */
    private static volatile long armedIdleMs = Long.MAX_VALUE;
    private static volatile long armedParseMs = Long.MAX_VALUE;

    /** An agent that armed timers with this value (its shortest) is reset. */
    public static void armed(boolean parsing, long ms) {
        if (ms <= 0) {
            return;
        }
        if (parsing) {
            if (ms < armedParseMs) {
                armedParseMs = ms;
            }
        } else if (ms < armedIdleMs) {
            armedIdleMs = ms;
        }
    }

    /** The shortest value an agent armed such a timer with in this JVM; {@code Long.MAX_VALUE}: none yet. */
    public static long armedMs(boolean parsing) {
        return parsing ? armedParseMs : armedIdleMs;
    }

    public static UndertowHooks get() {
        return current;
    }

    public static void set(UndertowHooks hooks) {
        current = hooks == null ? NONE : hooks;
    }

    /** Exit of {@code Undertow.start()}. */
    public void started(Object undertow) {
    }

    /** Entry of {@code Undertow.stop()}: with a drain set, returns once its connections have drained. */
    public void stopping(Object undertow) {
    }

    /** Entry of {@code GracefulShutdownHandler.shutdown()}: with a drain set, returns once the listeners have drained. */
    public void gracefulShutdown() {
    }

    /** Exit of {@code HttpTransferEncoding.setupRequest(HttpServerExchange)}: a drain makes the request not persistent. */
    public void requestStarting(Object exchange) {
    }

    /**
     * Entry of {@code ParseTimeoutUpdater.handleSchedule(long)}: the timeout Undertow arms, idle or (while
     * {@code parsing}) request-parse; replaced by what this returns.
     */
    public long schedule(Object connection, boolean parsing, long timeoutMs) {
        return timeoutMs;
    }

    /** Entry of {@code ParseTimeoutUpdater.requestStarted()}: a request's headers are parsed. */
    public void requestParsed(Object connection) {
    }

    /**
     * Entry of {@code ParseTimeoutUpdater.run()}: the timer fired. Returns the expiry to use: a timer armed
     * before the agent arrived is moved to the agent's timeout here.
     */
    public long expiring(Object connection, boolean parsing, long expireTime, long ownIdle, long ownParse) {
        return expireTime;
    }

    /**
     * Exit of the {@code HttpReadListener} constructor, which makes no timer when both of Undertow's timeouts
     * are unset: returns the updater to install in that case (the agent's own timeouts), else {@code updater}.
     */
    public Object updater(Object connection, Object updater) {
        return updater;
    }

    /** Entry of {@code HttpReadListener.handleEvent(..)}: the current thread reads this connection. */
    public void reading(Object connection) {
    }

    /** Exit of {@code HttpReadListener.handleEvent(..)}. */
    public void readDone() {
    }

    /** Entry of {@code HttpReadListener.handleFailedRead(.., int)}: -1 is the peer's FIN. */
    public void readFailed(Object connection, int result) {
    }

    /** Entry of {@code ConnectionUtils.cleanClose(..)}: the server closing after a non-persistent response. */
    public void cleanClose() {
    }

    /** Entry of {@code AbstractServerConnection$CloseSetter.handleEvent(StreamConnection)}: once per close. */
    public void closed(Object connection) {
    }

    /**
     * Entry of {@code AlpnOpenListener.handleEvent(StreamConnection)}: a TLS connection whose protocol ALPN chooses once
     * its handshake is done; no HTTP connection, and none of Undertow's timers, until then.
     */
    public void alpnOpened(Object channel) {
    }

    /** Entry of {@code ParseTimeoutUpdater.close()}: an HTTP/2 channel's close task closes its timer. */
    public void updaterClosed(Object connection) {
    }

    /** Entry of {@code Http2Channel.sendGoAway(int, ..)}, which closes the channel once its GOAWAY is written. */
    public void sendingGoAway(Object channel) {
    }

    /** Exit of {@code Http2Channel.sendGoAway(int, ..)}. */
    public void sentGoAway() {
    }

    /**
     * Entry of {@code AbstractFramedChannel.close()}, and of the listener {@code sendGoAway} sets to close the channel
     * once a GOAWAY it could not write at once is out ({@code afterGoAway}): true skips the close (an idle close's
     * grace, ended by Undertow's own close 2 s after the GOAWAY).
     */
    public boolean keepOpen(Object channel, boolean afterGoAway) {
        return false;
    }
}
