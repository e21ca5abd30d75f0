package io.outlast.instrumentation.ktor;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * The writer loop's continuation, where Kotlin keeps the loop's variables between its suspensions: the connection in
 * one of its object slots ({@code L$n}), the idle in its one long slot ({@code J$0}), read again at each resume.
 */
final class WriterFrame {
    private static final String CONTINUATION = "io.ktor.server.cio.backend.ServerPipelineKt$pipelineWriterLoop$1";
    private static final String CONNECTION = "io.ktor.server.cio.backend.ServerIncomingConnection";
    private static final ClassValue<WriterFrame> FRAMES = new ClassValue<WriterFrame>() {
        @Override
        protected WriterFrame computeValue(Class<?> type) {
            return type.getName().equals(CONTINUATION) ? resolve(type) : null;
        }
    };

    /** The suspension point of the loop's wait for the next response (its first). */
    private static final int WAIT = 1;

    private final Field[] objects;
    private final Field idle;
    private final Class<?> connectionType;
    private final Field label;
    private final Field result;

    private WriterFrame(Field[] objects, Field idle, Class<?> connectionType, Field label, Field result) {
        this.objects = objects;
        this.idle = idle;
        this.connectionType = connectionType;
        this.label = label;
        this.result = result;
    }

    /** The frame of the writer loop's continuation, null for any other continuation or one not laid out as known. */
    static WriterFrame of(Class<?> continuationType) {
        return FRAMES.get(continuationType);
    }

    private static WriterFrame resolve(Class<?> type) {
        try {
            Field idle = null;
            for (Field f : type.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("J$") && f.getType() == long.class) {
                    if (idle != null) {
                        return null;
                    }
                    f.setAccessible(true);
                    idle = f;
                }
            }
            Class<?> connection = Class.forName(CONNECTION, false, type.getClassLoader());
            Field[] objects = SpilledLocals.of(type);
            Field label = type.getDeclaredField("label");
            Field result = type.getDeclaredField("result");
            label.setAccessible(true);
            result.setAccessible(true);
            return idle == null || objects.length == 0 || label.getType() != int.class ? null
                    : new WriterFrame(objects, idle, connection, label, result);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    Object connection(Object continuation) throws IllegalAccessException {
        for (Field f : objects) {
            Object value = f.get(continuation);
            if (connectionType.isInstance(value)) {
                return value;
            }
        }
        return null;
    }

    /**
     * Whether this resume ends the wait with no response: it ran out, or the reader closed the queue (it met the end
     * of the input). The connection ends now.
     */
    boolean waitEndedEmpty(Object continuation) throws IllegalAccessException {
        return resumesWait(continuation) && result.get(continuation) == null;
    }

    /** Whether this resume ends the wait with a response: a request's head is in. */
    boolean waitEndedWithResponse(Object continuation) throws IllegalAccessException {
        return resumesWait(continuation) && result.get(continuation) != null;
    }

    /** Whether this resume is of the wait (a resume's label carries the sign bit). */
    private boolean resumesWait(Object continuation) throws IllegalAccessException {
        return (label.getInt(continuation) & Integer.MAX_VALUE) == WAIT;
    }

    long idle(Object continuation) throws IllegalAccessException {
        return idle.getLong(continuation);
    }

    void idle(Object continuation, long raw) throws IllegalAccessException {
        idle.setLong(continuation, raw);
    }
}
