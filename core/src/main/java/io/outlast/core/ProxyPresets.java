package io.outlast.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The proxies of ../shared/docs/proxy-defaults.md: their upstream idle timeout, in ms. */
final class ProxyPresets {
    /** Where a vendor names a server-side minimum above the proxy's own timeout, it is kept here. */
    static final class Preset {
        final long idleMs;
        final long serverMinMs;

        Preset(long idleSeconds, long serverMinSeconds) {
            this.idleMs = idleSeconds * 1000;
            this.serverMinMs = serverMinSeconds * 1000;
        }
    }

    static final Map<String, Preset> PRESETS;

    static {
        Map<String, Preset> p = new LinkedHashMap<>();
        p.put("aws-alb", new Preset(60, 0));
        p.put("aws-clb", new Preset(60, 0));
        p.put("gcp", new Preset(600, 0));
        // v1 keeps 120 s, v2 75 s: outlasting the longer one outlasts both
        p.put("azure-appgw", new Preset(120, 0));
        p.put("cloudflare", new Preset(900, 0));
        p.put("nginx", new Preset(60, 0));
        p.put("ingress-nginx", new Preset(60, 0));
        p.put("envoy", new Preset(3600, 0));
        p.put("istio", new Preset(3600, 0));
        p.put("traefik", new Preset(90, 0));
        p.put("caddy", new Preset(120, 0));
        p.put("oci", new Preset(300, 310));
        PRESETS = Collections.unmodifiableMap(p);
    }

    private ProxyPresets() {
    }
}
