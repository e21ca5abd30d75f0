package io.outlast.family;

/** The idle an upstream announces in its {@code Keep-Alive} response header ({@code timeout=5, max=100}). */
public final class KeepAlive {
    private KeepAlive() {
    }

    /** The header's {@code timeout} in ms, or -1 if it has none (or one that is not a number of seconds). */
    public static long timeoutMs(String header) {
        if (header == null) {
            return -1;
        }
        int at = header.toLowerCase(java.util.Locale.ROOT).indexOf("timeout");
        while (at >= 0) {
            int i = at + "timeout".length();
            while (i < header.length() && header.charAt(i) == ' ') {
                i++;
            }
            if (i < header.length() && header.charAt(i) == '=') {
                i++;
                while (i < header.length() && header.charAt(i) == ' ') {
                    i++;
                }
                int start = i;
                while (i < header.length() && Character.isDigit(header.charAt(i))) {
                    i++;
                }
                if (i > start && i - start < 10) {
                    return Long.parseLong(header.substring(start, i)) * 1000;
                }
                return -1;
            }
            at = header.toLowerCase(java.util.Locale.ROOT).indexOf("timeout", i);
        }
        return -1;
    }
}
