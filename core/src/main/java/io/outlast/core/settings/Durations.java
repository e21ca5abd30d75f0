package io.outlast.core.settings;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them: a number and a unit, {@code 500ms}, {@code 65s}, {@code 2m}, {@code 1h}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

    /**
     * The longest duration accepted, given or derived: a day is far beyond any proxy's idle timeout, and
     * keeps every sum the agent makes (idle + 1s, a deadline from now) well inside the {@code int}
     * milliseconds that several servers store.
     */
    public static final long MAX_MS = 24 * 3_600_000L;

    private Durations() {
    }

    /** Milliseconds, or a message saying what is wrong (without the key, which the caller adds). */
    public static long parse(String text) throws IllegalArgumentException {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            if (NUMBER.matcher(t).matches()) {
                throw new IllegalArgumentException("a duration needs a unit (ms, s, m or h), e.g. " + t + "s");
            }
            throw new IllegalArgumentException("not a duration; write a number and a unit: 500ms, 65s, 2m, 1h");
        }
        double value = Double.parseDouble(m.group(1));
        if (value <= 0) {
            throw new IllegalArgumentException("must be greater than zero");
        }
        long unit;
        switch (m.group(2)) {
            case "ms": unit = 1; break;
            case "s": unit = 1000; break;
            case "m": unit = 60_000; break;
            default: unit = 3_600_000; break;
        }
        double ms = value * unit;
        if (ms < 1 || ms > MAX_MS) {
            throw new IllegalArgumentException("out of range: between 1ms and 24h");
        }
        return Math.round(ms);
    }

    /** {@code 65000} as {@code 65s}, {@code 1500} as {@code 1500ms}: how the report prints a setting. */
    public static String format(long ms) {
        if (ms < 0) {
            return "none";
        }
        if (ms % 3_600_000 == 0 && ms >= 7_200_000) {
            return (ms / 3_600_000) + "h";
        }
        if (ms % 60_000 == 0 && ms >= 120_000) {
            return (ms / 60_000) + "m";
        }
        if (ms % 1000 == 0) {
            return (ms / 1000) + "s";
        }
        return ms + "ms";
    }
}
