package io.outlast.core;

/** One server endpoint the agent found, with its timeouts before and after. */
public final class EndpointReport {
    public final String family;
    public final String version;
    public final String kind;
    public final String address;
    public final long idleBeforeMs;
    public final long idleAfterMs;
    public final long headerBeforeMs;
    public final long headerAfterMs;

    public EndpointReport(String family, String version, String kind, String address,
                          long idleBeforeMs, long idleAfterMs, long headerBeforeMs, long headerAfterMs) {
        this.family = family;
        this.version = version;
        this.kind = kind;
        this.address = address;
        this.idleBeforeMs = idleBeforeMs;
        this.idleAfterMs = idleAfterMs;
        this.headerBeforeMs = headerBeforeMs;
        this.headerAfterMs = headerAfterMs;
    }

    String text() {
        return family + " " + version + " " + kind + " " + address
                + " idle " + ms(idleBeforeMs) + " -> " + ms(idleAfterMs)
                + ", header " + ms(headerBeforeMs) + " -> " + ms(headerAfterMs);
    }

    String json() {
        return "\"event\":\"endpoint\",\"server\":" + Json.str(family) + ",\"version\":" + Json.str(version)
                + ",\"kind\":" + Json.str(kind) + ",\"address\":" + Json.str(address)
                + ",\"idle_before_ms\":" + num(idleBeforeMs) + ",\"idle_after_ms\":" + num(idleAfterMs)
                + ",\"header_before_ms\":" + num(headerBeforeMs) + ",\"header_after_ms\":" + num(headerAfterMs);
    }

    private static String ms(long v) {
        return v < 0 ? "none" : v + "ms";
    }

    private static String num(long v) {
        return v < 0 ? "null" : Long.toString(v);
    }
}
