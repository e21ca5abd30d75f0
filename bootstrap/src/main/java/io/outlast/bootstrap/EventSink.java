package io.outlast.bootstrap;

/**
 * Where close events go. Implementations must return at once: they are called on server I/O threads.
 */
public abstract class EventSink {
    private static final EventSink NONE = new EventSink() {
        @Override
        public void close(CloseEvent event) {
        }
    };
    private static volatile EventSink current = NONE;

    public static EventSink get() {
        return current;
    }

    public static void set(EventSink sink) {
        current = sink == null ? NONE : sink;
    }

    public abstract void close(CloseEvent event);
}
