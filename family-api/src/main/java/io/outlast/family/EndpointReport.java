package io.outlast.family;

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
}
