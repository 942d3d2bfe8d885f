package io.trunkgate.proxy;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.Side;

/**
 * The proxy's own addresses and timers: the Via and Record-Route host and port of each side as the peers must see
 * them (behind NAT, the public ones: {@code trunkgate.trunk.advertised-port}, {@code trunkgate.inside.advertised-address}
 * and {@code advertised-port}); the trunk side always by host name, so a remote's certificate check of in-dialog
 * connections passes (CERT-5, CERT-7); T1/T2/T4 (RFC 3261 17.1.1.1, 17.1.2.2), and an instance tag in every branch
 * this instance creates, which is how a request that loops back to it is recognised.
 *
 * @param bound the addresses the listeners are bound to, {@code host:port}: a Route naming one is ours too
 */
public record ProxyConfig(String trunkHost, int trunkPort, String insideHost, int insidePort, long t1Millis,
        long t2Millis, long t4Millis, String instanceTag, List<String> bound) {

    public static final String MAGIC = "z9hG4bK";

    public ProxyConfig {
        bound = List.copyOf(bound);
    }

    /** Advertised where bound. */
    public ProxyConfig(String trunkHost, int trunkPort, String insideHost, int insidePort, long t1Millis, long t2Millis,
            long t4Millis, String instanceTag) {
        this(trunkHost, trunkPort, insideHost, insidePort, t1Millis, t2Millis, t4Millis, instanceTag, List.of());
    }

    public static ProxyConfig from(Settings settings) {
        String name = settings.getList("trunkgate.tls.advertised-names").stream().findFirst().orElseThrow(() ->
                new ConfigException("trunkgate.tls.advertised-names", "must name the host we are reached by (our trunk-side"
                        + " Record-Route, CERT-7)"));
        int trunkPort = settings.getPort("trunkgate.trunk.port");
        String insideHost = settings.get("trunkgate.inside.host");
        int insidePort = settings.getPort("trunkgate.inside.port");
        return new ProxyConfig(name, advertisedPort(settings, "trunkgate.trunk.advertised-port", trunkPort),
                settings.find("trunkgate.inside.advertised-address").orElse(insideHost),
                advertisedPort(settings, "trunkgate.inside.advertised-port", insidePort), settings.getInt("trunkgate.sip.t1"),
                settings.getInt("trunkgate.sip.t2"), settings.getInt("trunkgate.sip.t4"),
                Long.toString(ThreadLocalRandom.current().nextLong() & 0xffffffffL, 36),
                List.of(name + ":" + trunkPort, insideHost + ":" + insidePort));
    }

    private static int advertisedPort(Settings settings, String key, int bound) {
        return settings.find(key).isPresent() ? settings.getPort(key) : bound;
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

    /**
     * True when a Route URI host:port is one of ours, as advertised or as bound (so it is popped: loose routing,
     * RFC 3261 16.4).
     */
    public boolean isOurs(String host, int port) {
        if ((host.equalsIgnoreCase(trunkHost) && (port == trunkPort || port <= 0 && trunkPort == 5061))
                || (host.equalsIgnoreCase(insideHost) && (port == insidePort || port <= 0 && insidePort == 5060))) {
            return true;
        }
        for (String b : bound) {
            int colon = b.lastIndexOf(':');
            int p = Integer.parseInt(b.substring(colon + 1));
            if (host.equalsIgnoreCase(b.substring(0, colon)) && (port == p || port <= 0 && (p == 5060 || p == 5061))) {
                return true;
            }
        }
        return false;
    }
}
