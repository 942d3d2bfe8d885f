package io.trunkgate.proxy;

import java.util.concurrent.ThreadLocalRandom;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.Side;

/**
 * The proxy's own addresses and timers: the Record-Route URI of each side (the trunk side by host name, so a
 * remote's certificate check passes, CERT-5), the inside UDP socket, T1/T2/T4 (RFC 3261 17.1.1.1, 17.1.2.2), and an instance tag
 * in every branch this instance creates, which is how a request that loops back to it is recognised.
 */
public record ProxyConfig(String trunkHost, int trunkPort, String insideHost, int insidePort, long t1Millis,
        long t2Millis, long t4Millis, String instanceTag) {

    public static final String MAGIC = "z9hG4bK";

    public static ProxyConfig from(Settings settings) {
        String name = settings.getList("trunkgate.tls.advertised-names").stream().findFirst().orElseThrow(() ->
                new ConfigException("trunkgate.tls.advertised-names", "must name the host we are reached by (our trunk-side"
                        + " Record-Route, CERT-7)"));
        return new ProxyConfig(name, settings.getPort("trunkgate.trunk.port"), settings.get("trunkgate.inside.host"),
                settings.getPort("trunkgate.inside.port"), settings.getInt("trunkgate.sip.t1"),
                settings.getInt("trunkgate.sip.t2"), settings.getInt("trunkgate.sip.t4"), Long.toString(ThreadLocalRandom.current().nextLong() & 0xffffffffL, 36));
    }

    /** Our branch prefix: the RFC 3261 magic cookie plus this instance's tag. */
    public String branchPrefix() {
        return MAGIC + "-tg" + instanceTag + "-";
    }

    /** Timer B / F / H: 64 * T1. */
    public long timeoutMillis() {
        return 64 * t1Millis;
    }

    /** Our Record-Route URI on a side; {@code insideTransport} (udp or tcp) is the inside leg's transport. */
    public String recordRoute(Side side, String insideTransport) {
        return side == Side.TRUNK
                ? "<sip:" + trunkHost + ":" + trunkPort + ";transport=tls;lr>"
                : "<sip:" + insideHost + ":" + insidePort + ";transport=" + insideTransport + ";lr>";
    }

    /** True when a Route URI host:port is one of ours (so it is popped: loose routing, RFC 3261 16.4). */
    public boolean isOurs(String host, int port) {
        return (host.equalsIgnoreCase(trunkHost) && (port == trunkPort || port <= 0 && trunkPort == 5061))
                || (host.equalsIgnoreCase(insideHost) && (port == insidePort || port <= 0 && insidePort == 5060));
    }
}
