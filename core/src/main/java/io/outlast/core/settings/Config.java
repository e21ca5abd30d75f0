package io.outlast.core.settings;

import io.outlast.family.Timeouts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The agent's settings, merged from three sources (agent arguments over system properties
 * {@code outlast.<key>} over environment {@code OUTLAST_<KEY>}) and derived: with a proxy and no
 * idle, idle = proxy + margin; with no header, header = idle + 1s. On the client side, with an upstream and no
 * client idle, client idle = upstream - margin (the margin half the upstream's idle at most).
 */
public final class Config {
    public static final List<String> KEYS = Collections.unmodifiableList(Arrays.asList(
            "idle", "header", "proxy", "margin", "servers", "log", "log.format", "log.closes", "enabled",
            "upstream", "client.idle", "clients", "drain"));
    public static final List<String> FAMILIES = Collections.unmodifiableList(Arrays.asList(
            "jetty", "tomcat", "undertow", "netty", "jdk", "helidon", "grizzly", "pekko", "akka", "ktor", "liberty"));
    /** The client families, by their {@code clients=} names. */
    public static final List<String> CLIENT_FAMILIES = Collections.unmodifiableList(Arrays.asList("reactor-netty", "apache-httpclient", "okhttp",
            "jdk-httpclient", "jetty-httpclient", "vertx-httpclient"));

    public static final long DEFAULT_MARGIN_MS = 5000;
    static final long HEADER_OVER_IDLE_MS = 1000;

    /** Idle timeout to enforce, or -1 to leave the server's own. */
    public final long idleMs;
    /** Header deadline to enforce, or -1 for none. */
    public final long headerMs;
    /** The two as the families read them. */
    public final Timeouts timeouts;
    /** The proxy's idle timeout, or -1 when none was named. */
    public final long proxyMs;
    /** How the proxy was named: a preset, or the duration as written. */
    public final String proxyName;
    public final long marginMs;
    /** Families to instrument; empty means all. */
    public final Set<String> servers;
    /** The upstream's idle timeout, or -1 when not known. */
    public final long upstreamMs;
    /** The idle after which a client's pooled connection is retired, or -1 for the pool's own. */
    public final long clientIdleMs;
    /** Client families to instrument; empty means all; {@link #NO_CLIENTS} none. */
    public final Set<String> clients;
    /** How long a stopping server keeps its kept-alive connections for the proxy to let go of, or -1: off. */
    public final long drainMs;
    static final Set<String> NO_CLIENTS = Collections.singleton("none");
    public final String log;
    public final boolean json;
    public final String logCloses;
    public final boolean enabled;
    /** Lines to print at start: settings that are valid but probably not what the user meant. */
    public final List<String> warnings;

    private Config(Map<String, Source> in) throws ConfigException {
        List<String> warn = new ArrayList<>();
        for (Iterator<Source> it = in.values().iterator(); it.hasNext(); ) {
            Source s = it.next();
            if (KEYS.contains(s.key)) {
                continue;
            }
            if (!s.fromEnvironment) {
                throw s.error("unknown key; valid keys: " + String.join(", ", KEYS));
            }
            // images and charts set OUTLAST_HOME and the like for their own ends: not ours to refuse
            warn.add("ignored " + s.where + ": not an outlast key (valid keys: " + String.join(", ", KEYS) + ")");
            it.remove();
        }
        enabled = bool(in.get("enabled"), true);
        marginMs = in.containsKey("margin") ? duration(in.get("margin")) : DEFAULT_MARGIN_MS;

        Source proxy = in.get("proxy");
        long serverMin = 0;
        if (proxy == null) {
            proxyMs = -1;
            proxyName = null;
        } else {
            String name = proxy.value.trim().toLowerCase(Locale.ROOT);
            ProxyPresets.Preset preset = ProxyPresets.PRESETS.get(name);
            if (preset != null) {
                proxyMs = preset.idleMs;
                serverMin = preset.serverMinMs;
                proxyName = name;
            } else if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                proxyMs = duration(proxy);
                proxyName = proxy.value.trim();
            } else {
                throw proxy.error("unknown proxy; give a duration (60s) or one of: "
                        + String.join(", ", ProxyPresets.PRESETS.keySet()));
            }
        }

        Source idle = in.get("idle");
        if (idle != null) {
            idleMs = duration(idle);
            if (proxyMs > 0 && idleMs <= proxyMs) {
                warn.add("idle " + Durations.format(idleMs) + " does not outlast proxy " + proxyName
                        + " (" + Durations.format(proxyMs) + "): the proxy may send a request on a connection"
                        + " the server is closing (502); use idle > " + Durations.format(proxyMs));
            }
        } else if (proxyMs > 0) {
            idleMs = derived(Math.max(proxyMs + marginMs, serverMin), proxy, "proxy + margin");
        } else {
            idleMs = -1;
        }

        Source header = in.get("header");
        if (header != null && header.value.trim().equalsIgnoreCase("off")) {
            headerMs = -1;
        } else if (header != null) {
            headerMs = duration(header);
        } else {
            headerMs = idleMs > 0
                    ? derived(idleMs + HEADER_OVER_IDLE_MS, idle != null ? idle : proxy, "the header deadline, idle + 1s")
                    : -1;
        }

        Source upstream = in.get("upstream");
        upstreamMs = upstream == null ? -1 : duration(upstream);
        Source clientIdle = in.get("client.idle");
        if (clientIdle != null) {
            clientIdleMs = duration(clientIdle);
            if (upstreamMs > 0 && clientIdleMs >= upstreamMs) {
                warn.add("client.idle " + Durations.format(clientIdleMs) + " does not retire a pooled connection before"
                        + " the upstream's idle (" + Durations.format(upstreamMs) + "): a request may be sent on one the"
                        + " upstream is closing; use client.idle < " + Durations.format(upstreamMs));
            }
        } else {
            clientIdleMs = upstreamMs > 0 ? Timeouts.retireBefore(upstreamMs, marginMs) : -1;
        }
        drainMs = drain(in.get("drain"), proxy);
        timeouts = new Timeouts(idleMs, headerMs, clientIdleMs, marginMs, drainMs);
        servers = families(in.get("servers"), FAMILIES, "server", false);
        clients = families(in.get("clients"), CLIENT_FAMILIES, "client", true);
        Source logSource = in.get("log");
        log = logSource == null ? "stderr" : nonEmpty(logSource, "stderr, stdout, app or a file path");
        json = "json".equals(oneOf(in.get("log.format"), "text", "text", "json"));
        logCloses = oneOf(in.get("log.closes"), "all", "all", "server", "none");
        warnings = Collections.unmodifiableList(warn);
    }

    /** Reads all three sources. */
    public static Config load(String agentArgs, Map<?, ?> systemProperties, Map<String, String> env)
            throws ConfigException {
        Map<String, Source> merged = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("OUTLAST_")) {
                String key = name.substring("OUTLAST_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                merged.put(key, new Source(key, e.getValue(), "environment " + name + "=" + e.getValue(), true));
            }
        }
        for (Map.Entry<?, ?> e : systemProperties.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (name.startsWith("outlast.") && !name.startsWith("outlast.internal.")) {
                String key = name.substring("outlast.".length());
                String value = String.valueOf(e.getValue());
                merged.put(key, new Source(key, value, "-D" + name + "=" + value, false));
            }
        }
        for (Map.Entry<String, String> e : parseArguments(agentArgs).entrySet()) {
            merged.put(e.getKey(), new Source(e.getKey(), e.getValue(), e.getKey() + "=" + e.getValue(), false));
        }
        return new Config(merged);
    }

    /** Settings from agent arguments alone: what {@code attach} checks before it touches the target. */
    public static Config fromArguments(String agentArgs) throws ConfigException {
        return load(agentArgs, Collections.emptyMap(), Collections.<String, String>emptyMap());
    }

    /**
     * {@code key=value,key=value}. A piece without {@code =} continues the previous value, so lists
     * read naturally: {@code servers=jetty,tomcat,idle=65s}.
     */
    public static Map<String, String> parseArguments(String args) throws ConfigException {
        Map<String, String> out = new LinkedHashMap<>();
        if (args == null || args.trim().isEmpty()) {
            return out;
        }
        String last = null;
        for (String piece : args.split(",")) {
            int eq = piece.indexOf('=');
            if (eq < 0) {
                if (last == null) {
                    throw new ConfigException("'" + piece.trim() + "' is not key=value; write e.g. idle=65s");
                }
                out.put(last, out.get(last) + "," + piece.trim());
                continue;
            }
            last = piece.substring(0, eq).trim();
            out.put(last, piece.substring(eq + 1).trim());
        }
        return out;
    }

    /** The inverse of {@link #parseArguments}. */
    public static String formatArguments(Map<String, String> args) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : args.entrySet()) {
            b.append(b.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    /** Whether the family is to be instrumented. */
    public boolean instruments(String family) {
        if (CLIENT_FAMILIES.contains(family)) {
            return clients.isEmpty() || clients.contains(family);
        }
        return servers.isEmpty() || servers.contains(family);
    }

    /** Whether a close with this closer is to be logged. */
    public boolean logs(boolean serverInitiated) {
        return "all".equals(logCloses) || ("server".equals(logCloses) && serverInitiated);
    }

    private static long duration(Source s) throws ConfigException {
        try {
            return Durations.parse(s.value);
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }

    /** {@code off} (the default), a duration, or {@code proxy}: the proxy's idle and the margin, by which it lets go. */
    private long drain(Source drain, Source proxy) throws ConfigException {
        if (drain == null || drain.value.trim().equalsIgnoreCase("off")) {
            return -1;
        }
        if (drain.value.trim().equalsIgnoreCase("proxy")) {
            if (proxyMs <= 0) {
                throw drain.error("drain=proxy needs the proxy's idle timeout: set proxy= too, or give a duration");
            }
            return derived(proxyMs + marginMs, proxy, "the drain, proxy + margin");
        }
        long ms = duration(drain);
        if (ms == 0) {
            throw drain.error("a drain of 0 drains nothing; give a duration, proxy, or off");
        }
        return ms;
    }

    /** A timeout the agent computed rather than read: bounded like one given, blamed on what it came from. */
    private static long derived(long ms, Source from, String what) throws ConfigException {
        if (ms > Durations.MAX_MS) {
            throw from.error(what + " is " + Durations.format(ms) + ", beyond the longest timeout outlast sets ("
                    + Durations.format(Durations.MAX_MS) + ")");
        }
        return ms;
    }

    private static boolean bool(Source s, boolean dflt) throws ConfigException {
        return s == null ? dflt : "true".equals(oneOf(s, null, "true", "false"));
    }

    private static String oneOf(Source s, String dflt, String... valid) throws ConfigException {
        if (s == null) {
            return dflt;
        }
        String v = s.value.trim().toLowerCase(Locale.ROOT);
        if (!Arrays.asList(valid).contains(v)) {
            throw s.error("valid values: " + String.join(", ", valid));
        }
        return v;
    }

    private static String nonEmpty(Source s, String valid) throws ConfigException {
        if (s.value.trim().isEmpty()) {
            throw s.error("empty; valid values: " + valid);
        }
        return s.value.trim();
    }

    /** {@code noneAllowed}: "none" is a value (clients may all be off; a server family is the agent's reason to be). */
    private static Set<String> families(Source s, List<String> known, String kind, boolean noneAllowed)
            throws ConfigException {
        Set<String> out = new LinkedHashSet<>();
        if (s == null || s.value.trim().equalsIgnoreCase("all")) {
            return out;
        }
        if (noneAllowed && s.value.trim().equalsIgnoreCase("none")) {
            return NO_CLIENTS;
        }
        String valid = "valid: all, " + (noneAllowed ? "none, " : "") + String.join(", ", known);
        for (String f : s.value.split("[,+\\s]+")) {
            String name = f.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!known.contains(name)) {
                throw s.error("unknown " + kind + " family '" + name + "'; " + valid);
            }
            out.add(name);
        }
        if (out.isEmpty()) {
            throw s.error("empty; " + valid);
        }
        return Collections.unmodifiableSet(out);
    }

    /** One setting and where it came from, so an error names what the user actually wrote. */
    private static final class Source {
        final String key;
        final String value;
        final String where;
        final boolean fromEnvironment;

        Source(String key, String value, String where, boolean fromEnvironment) {
            this.key = key;
            this.value = value;
            this.where = where;
            this.fromEnvironment = fromEnvironment;
        }

        ConfigException error(String what) {
            return new ConfigException("bad setting " + where + ": " + what);
        }
    }

    @Override
    public String toString() {
        return "idle=" + Durations.format(idleMs) + " header=" + Durations.format(headerMs)
                + (proxyMs > 0 ? " proxy=" + proxyName + "(" + Durations.format(proxyMs) + ")" : "")
                + " servers=" + (servers.isEmpty() ? "all" : String.join(",", servers))
                + (upstreamMs > 0 ? " upstream=" + Durations.format(upstreamMs) : "")
                + (clientIdleMs > 0 ? " client.idle=" + Durations.format(clientIdleMs) : "")
                + (clients.isEmpty() ? "" : " clients=" + String.join(",", clients))
                + (drainMs > 0 ? " drain=" + Durations.format(drainMs) : "");
    }
}
