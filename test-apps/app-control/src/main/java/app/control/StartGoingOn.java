package app.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A test agent ({@code -javaagent:test-app-control.jar=MS}) for an application whose start goes on after its
 * port is open, as a warm-up does: it loads classes from the JVM's start until MS after the app's READY, so
 * that outlast's install, which waits for class loading to calm, comes after a test's first connections however
 * slow the machine makes the server's start (a start that pauses on a busy machine looks over to the agent).
 */
public final class StartGoingOn {
    private static final int TICK_MS = 20;
    // the agent counts a tenth with 10 new classes as busy: 4 every 20 ms, and more after a tick that came late
    private static final int CLASSES_PER_TICK = 4;

    private StartGoingOn() {
    }

    public static void premain(String args) throws IOException {
        long tailNanos = Long.parseLong(args == null || args.isEmpty() ? "1000" : args.trim()) * 1_000_000L;
        byte[] bytes = classBytes(Loaded.class);
        Thread t = new Thread(() -> loadUntil(bytes, tailNanos), "start-going-on");
        t.setDaemon(true);
        t.start();
    }

    private static void loadUntil(byte[] bytes, long tailNanos) {
        long last = System.nanoTime();
        while (true) {
            String ready = System.getProperty(AppControl.READY_PROPERTY);
            long now = System.nanoTime();
            if (ready != null && now - Long.parseLong(ready) > tailNanos) {
                return;
            }
            long ticks = Math.max(1, (now - last) / (TICK_MS * 1_000_000L));
            for (long i = 0; i < ticks * CLASSES_PER_TICK; i++) {
                new OneClassLoader().define(bytes);
            }
            last = now;
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static byte[] classBytes(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** What is loaded again and again, each time in a loader of its own. */
    static final class Loaded {
    }

    private static final class OneClassLoader extends ClassLoader {
        OneClassLoader() {
            super(null);
        }

        void define(byte[] bytes) {
            defineClass(null, bytes, 0, bytes.length);
        }
    }
}
