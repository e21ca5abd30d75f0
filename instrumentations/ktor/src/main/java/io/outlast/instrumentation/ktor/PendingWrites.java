package io.outlast.instrumentation.ktor;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Whether a Ktor {@code ByteChannel} has bytes written and not yet flushed (its write buffer's size): CIO's socket
 * reader flushes a connection's input after a read of nothing too, before it waits for the socket.
 */
final class PendingWrites {
    private static final ClassValue<PendingWrites> BY_TYPE = new ClassValue<PendingWrites>() {
        @Override
        protected PendingWrites computeValue(Class<?> type) {
            try {
                Field buffer = type.getDeclaredField("_writeBuffer");
                buffer.setAccessible(true);
                return new PendingWrites(buffer, buffer.getType().getMethod("getSize"));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return new PendingWrites(null, null);
            }
        }
    };

    private final Field buffer;
    private final Method size;

    private PendingWrites(Field buffer, Method size) {
        this.buffer = buffer;
        this.size = size;
    }

    /** True where bytes wait in the channel's write buffer, or where that cannot be read (any flush counts then). */
    static boolean any(Object channel) throws ReflectiveOperationException {
        PendingWrites p = BY_TYPE.get(channel.getClass());
        if (p.buffer == null) {
            return true;
        }
        Object b = p.buffer.get(channel);
        return b == null || ((Number) p.size.invoke(b)).longValue() > 0;
    }
}
