package io.outlast.core.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The proxies of docs/proxies.md, each with its vendor source there: their upstream idle timeout, in ms. */
public final class ProxyPresets {
    /** Where a vendor names a server-side minimum above the proxy's own timeout, it is kept here. */
    static final class Preset {
        final long idleMs;
        final long serverMinMs;

        Preset(long idleSeconds, long serverMinSeconds) {
            this.idleMs = idleSeconds * 1000;
            this.serverMinMs = serverMinSeconds * 1000;
        }
    }

    public static final Map<String, Preset> PRESETS;

    static {
        Map<String, Preset> p = new LinkedHashMap<>();
        p.put("aws-alb", new Preset(60, 0));
        p.put("aws-clb", new Preset(60, 0));
        p.put("gcp", new Preset(600, 0));
        // no backend figure is published: 120 s is the longest keep-alive Microsoft gives for the gateway
        // (its client side); docs/proxies.md says why, and how to read the real one off the close events
        p.put("azure-appgw", new Preset(120, 0));
        p.put("cloudflare", new Preset(900, 0));
        p.put("nginx", new Preset(60, 0));
        p.put("ingress-nginx", new Preset(60, 0));
        p.put("envoy", new Preset(3600, 0));
        p.put("istio", new Preset(3600, 0));
        p.put("traefik", new Preset(90, 0));
        p.put("caddy", new Preset(120, 0));
        p.put("oci", new Preset(300, 310));
        // L4 balancers pool nothing: outlasting their flow timeout leaves the retiring of idle flows to them
        p.put("aws-nlb", new Preset(350, 0));
        p.put("azure-lb", new Preset(240, 0));
        p.put("kong", new Preset(60, 0));
        p.put("cloudfoundry", new Preset(90, 0));
        p.put("akamai", new Preset(300, 0));
        PRESETS = Collections.unmodifiableMap(p);
    }

    private ProxyPresets() {
    }
}
