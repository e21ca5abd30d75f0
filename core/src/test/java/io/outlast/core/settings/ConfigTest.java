package io.outlast.core.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
    private static Config args(String agentArgs) throws ConfigException {
        return Config.fromArguments(agentArgs);
    }

    private static String error(String agentArgs) {
        return assertThrows(ConfigException.class, () -> args(agentArgs)).getMessage();
    }

    @ParameterizedTest
    @CsvSource({"500ms,500", "65s,65000", "2m,120000", "1h,3600000", "1.5s,1500", "65 s,65000", "65S,65000"})
    void durationsCarryUnits(String text, long ms) throws ConfigException {
        assertEquals(ms, args("idle=" + text).idleMs);
    }

    @Test
    void nothingSetLeavesTheServersOwnTimeouts() throws ConfigException {
        Config c = args("");
        assertEquals(-1, c.idleMs);
        assertEquals(-1, c.headerMs);
        assertTrue(c.enabled);
        assertEquals("stderr", c.log);
        assertFalse(c.json);
        assertEquals("all", c.logCloses);
        assertTrue(c.instruments("jetty"));
    }

    @Test
    void proxyPresetGivesIdleWithMarginAndHeaderOneSecondMore() throws ConfigException {
        Config c = args("proxy=aws-alb");
        assertEquals(60_000, c.proxyMs);
        assertEquals(65_000, c.idleMs);
        assertEquals(66_000, c.headerMs);
        assertTrue(c.warnings.isEmpty());
    }

    @Test
    void proxyDurationAndMargin() throws ConfigException {
        Config c = args("proxy=90s,margin=10s");
        assertEquals(100_000, c.idleMs);
        assertEquals(101_000, c.headerMs);
    }

    @Test
    void presetWithVendorMinimumKeepsIt() throws ConfigException {
        // OCI asks backends for 310 s against its 300 s: 300 + 5 would not do
        assertEquals(310_000, args("proxy=oci").idleMs);
    }

    @Test
    void explicitIdleWins() throws ConfigException {
        Config c = args("proxy=nginx,idle=70s,header=75s");
        assertEquals(70_000, c.idleMs);
        assertEquals(75_000, c.headerMs);
    }

    @Test
    void idleThatDoesNotOutlastTheProxyIsWarnedAboutNamingBoth() throws ConfigException {
        Config c = args("proxy=aws-alb,idle=60s");
        assertEquals(1, c.warnings.size());
        String w = c.warnings.get(0);
        assertTrue(w.contains("60s") && w.contains("aws-alb"), w);
    }

    @Test
    void headerCanBeTurnedOff() throws ConfigException {
        assertEquals(-1, args("idle=65s,header=off").headerMs);
    }

    @Test
    void listsContinueAcrossCommas() throws ConfigException {
        Config c = args("servers=jetty,tomcat,idle=65s");
        assertEquals(65_000, c.idleMs);
        assertTrue(c.instruments("jetty"));
        assertTrue(c.instruments("tomcat"));
        assertFalse(c.instruments("netty"));
    }

    @Test
    void logSettings() throws ConfigException {
        Config c = args("log=/tmp/x.log,log.format=json,log.closes=server");
        assertEquals("/tmp/x.log", c.log);
        assertTrue(c.json);
        assertTrue(c.logs(true));
        assertFalse(c.logs(false));
        assertFalse(args("log.closes=none").logs(true));
    }

    @Test
    void agentArgumentsOverSystemPropertiesOverEnvironment() throws ConfigException {
        Map<String, String> env = Map.of("OUTLAST_IDLE", "10s", "OUTLAST_HEADER", "20s", "OUTLAST_LOG_FORMAT", "json",
                "PATH", "/bin");
        Map<String, String> props = Map.of("outlast.idle", "30s", "outlast.margin", "1s", "java.version", "17");
        Config c = Config.load("idle=40s", props, env);
        assertEquals(40_000, c.idleMs);
        assertEquals(20_000, c.headerMs);
        assertEquals(1_000, c.marginMs);
        assertTrue(c.json);
        assertEquals(30_000, Config.load("", props, env).idleMs);
        assertEquals(10_000, Config.load("", Map.of(), env).idleMs);
    }

    @Test
    void disabled() throws ConfigException {
        assertFalse(args("enabled=false").enabled);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "idle=65|idle=65|needs a unit",
            "idle=-5s|idle=-5s|greater than zero",
            "idle=0s|idle=0s|greater than zero",
            "idle=soon|idle=soon|500ms, 65s",
            "header=12x|header=12x|500ms, 65s",
            "margin=5|margin=5|needs a unit",
            "proxy=haproxy|proxy=haproxy|aws-alb",
            "proxy=60|proxy=60|needs a unit",
            "idel=65s|idel=65s|valid keys: idle, header",
            "servers=jetty,iis|servers=jetty,iis|jetty, tomcat",
            "log.format=xml|log.format=xml|text, json",
            "log.closes=some|log.closes=some|all, server, none",
            "enabled=yes|enabled=yes|true, false",
            "log=|log=|stderr, stdout, app or a file path",
            "65s|65s|not key=value",
            // every duration, given or derived, is bounded by a day
            "idle=25h|idle=25h|between 1ms and 24h",
            "proxy=596h,margin=1h|proxy=596h|between 1ms and 24h",
            "proxy=24h|proxy=24h|proxy + margin is 86405s",
            "idle=24h|idle=24h|idle + 1s",
            "header=86400001ms|header=86400001ms|between 1ms and 24h",
    })
    void badInputNamesKeyValueAndWhatIsValid(String input, String named, String valid) {
        String message = error(input);
        assertTrue(message.contains(named), message);
        assertTrue(message.contains(valid), message);
    }

    @Test
    void badEnvironmentAndPropertiesNameTheirSource() {
        String env = assertThrows(ConfigException.class,
                () -> Config.load("", Map.of(), Map.of("OUTLAST_IDLE", "65"))).getMessage();
        assertTrue(env.contains("environment OUTLAST_IDLE=65"), env);
        String prop = assertThrows(ConfigException.class,
                () -> Config.load("", Map.of("outlast.idle", "x"), Map.of())).getMessage();
        assertTrue(prop.contains("-Doutlast.idle=x"), prop);
    }

    @Test
    void anUnknownEnvironmentKeyIsAWarningNotAnError() throws ConfigException {
        // images and Helm charts set OUTLAST_HOME for their own ends; it once turned the whole agent off
        Config c = Config.load("proxy=aws-alb", Map.of(), Map.of("OUTLAST_HOME", "/opt/x", "OUTLAST_IDLE", "70s"));
        assertEquals(70_000, c.idleMs);
        assertEquals(1, c.warnings.size());
        String w = c.warnings.get(0);
        assertTrue(w.contains("OUTLAST_HOME=/opt/x") && w.contains("ignored") && w.contains("valid keys"), w);
    }

    @Test
    void anUnknownKeyAnywhereElseStaysAnError() {
        String prop = assertThrows(ConfigException.class,
                () -> Config.load("", Map.of("outlast.home", "/opt/x"), Map.of())).getMessage();
        assertTrue(prop.contains("-Doutlast.home=/opt/x") && prop.contains("unknown key"), prop);
        assertTrue(error("home=/opt/x").contains("unknown key"));
    }

    @Test
    void aKnownEnvironmentKeyWithABadValueStaysAnError() {
        assertThrows(ConfigException.class, () -> Config.load("", Map.of(), Map.of("OUTLAST_PROXY", "aws-nope")));
    }

    @Test
    void aDayItselfIsAccepted() throws ConfigException {
        assertEquals(86_400_000, args("idle=24h,header=off").idleMs);
        assertEquals(86_400_000, args("header=24h").headerMs);
        assertEquals(86_400_000, args("proxy=23h,margin=1h,header=off").idleMs);
    }

    @Test
    void formatsDurationsTheWayUsersWriteThem() {
        assertEquals("65s", Durations.format(65_000));
        assertEquals("1500ms", Durations.format(1500));
        assertEquals("10m", Durations.format(600_000));
        assertEquals("24h", Durations.format(86_400_000));
        assertEquals("none", Durations.format(-1));
    }

    @Test
    void anUpstreamRetiresPooledConnectionsAMarginBefore() throws ConfigException {
        Config c = args("upstream=60s");
        assertEquals(60000, c.upstreamMs);
        assertEquals(55000, c.clientIdleMs);
        assertEquals(55000, c.timeouts.clientRetireMs(-1));
        // a short upstream idle keeps half of it
        assertEquals(1000, args("upstream=2s").clientIdleMs);
        assertEquals(58000, args("upstream=60s,margin=2s").clientIdleMs);
        assertEquals(30000, args("upstream=60s,client.idle=30s").clientIdleMs);
        assertEquals(-1, args("").clientIdleMs);
        assertTrue(args("upstream=60s").toString().endsWith(" upstream=60s client.idle=55s"), args("upstream=60s").toString());
    }

    @Test
    void anAnnouncedKeepAliveBoundsTheClientIdle() throws ConfigException {
        // nothing set: the pool's own, except never past what the upstream announced
        assertEquals(-1, args("").timeouts.clientRetireMs(-1));
        assertEquals(2500, args("").timeouts.clientRetireMs(5000));
        assertEquals(55000, args("upstream=60s").timeouts.clientRetireMs(75000));
        assertEquals(2500, args("upstream=60s").timeouts.clientRetireMs(5000));
        assertEquals(0, args("").timeouts.clientRetireMs(0));
    }

    @Test
    void aClientIdleThatDoesNotRetireBeforeTheUpstreamIsWarned() throws ConfigException {
        Config c = args("upstream=60s,client.idle=60s");
        assertEquals(1, c.warnings.size());
        assertTrue(c.warnings.get(0).contains("does not retire a pooled connection before the upstream's idle (60s)"),
                c.warnings.get(0));
    }

    @Test
    void clientFamiliesAreChosenApartFromServers() throws ConfigException {
        assertTrue(args("servers=jetty").instruments("reactor-netty"));
        assertFalse(args("servers=jetty").instruments("netty"));
        assertFalse(args("clients=none").instruments("reactor-netty"));
        assertTrue(args("clients=none").instruments("jetty"));
        assertTrue(args("clients=reactor-netty").instruments("reactor-netty"));
        assertEquals("bad setting clients=okhttp3: unknown client family 'okhttp3'; valid: all, none, reactor-netty, apache-httpclient, okhttp, jdk-httpclient, jetty-httpclient, vertx-httpclient",
                error("clients=okhttp3"));
        assertEquals("bad setting upstream=soon: " + error("idle=soon").substring("bad setting idle=soon: ".length()),
                error("upstream=soon"));
    }

    @Test
    void drainIsOffUnlessSet() throws ConfigException {
        assertEquals(-1, args("proxy=aws-alb").drainMs);
        assertEquals(-1, args("proxy=aws-alb").timeouts.drainMs);
        assertEquals(-1, args("drain=off").drainMs);
    }

    @Test
    void drainProxyIsTheProxysIdleAndTheMargin() throws ConfigException {
        Config c = args("proxy=aws-alb,drain=proxy");
        assertEquals(65_000, c.drainMs);
        assertEquals(65_000, c.timeouts.drainMs);
        assertEquals(13_000, args("proxy=10s,margin=3s,drain=proxy").drainMs);
        assertTrue(c.toString().contains("drain=65s"), c.toString());
    }

    @Test
    void drainTakesADuration() throws ConfigException {
        assertEquals(30_000, args("drain=30s").drainMs);
        assertEquals(2_000, Config.load("", Map.of("outlast.drain", "2s"), Map.of()).drainMs);
        assertEquals(2_000, Config.load("", Map.of(), Map.of("OUTLAST_DRAIN", "2s")).drainMs);
    }

    @Test
    void drainProxyWithoutAProxyIsOneClearError() {
        String e = error("drain=proxy");
        assertTrue(e.contains("drain=proxy") && e.contains("proxy="), e);
        assertTrue(error("drain=30").contains("drain=30"), error("drain=30"));
        assertTrue(error("drain=0s").contains("drain"), error("drain=0s"));
    }
}
