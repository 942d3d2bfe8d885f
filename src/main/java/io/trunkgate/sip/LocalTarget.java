package io.trunkgate.sip;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import javax.sip.address.SipURI;
import javax.sip.address.URI;

import io.trunkgate.config.Settings;

/**
 * Which Request-URIs address the gateway itself rather than someone behind it (RFC 3261 16.5: a resource of this
 * element; 8.2.2: a request it answers as a UAS): a sip: or sips: URI without a user part whose host is one of our
 * names or addresses, whatever the port (a carrier's keep-alive OPTIONS, our own probes of another instance). Any
 * other request, an OPTIONS to a user or to another host included, is routed like every other (issue #17).
 */
public final class LocalTarget {

    private final Set<String> hosts;

    public LocalTarget(Collection<String> hosts) {
        Set<String> lower = new LinkedHashSet<>();
        for (String h : hosts) {
            if (h != null && !h.isBlank()) {
                lower.add(bare(h));
            }
        }
        this.hosts = Collections.unmodifiableSet(lower);
    }

    /**
     * Our names (trunkgate.tls.advertised-names) and the listeners' addresses, bound and advertised; a listener bound
     * to every interface adds the address of each.
     */
    public static LocalTarget from(Settings settings) {
        Set<String> hosts = new LinkedHashSet<>(settings.getList("trunkgate.tls.advertised-names"));
        for (String key : new String[] {"trunkgate.trunk.host", "trunkgate.inside.host", "trunkgate.inside.advertised-address"}) {
            settings.find(key).ifPresent(hosts::add);
        }
        if (hosts.stream().anyMatch(LocalTarget::wildcard)) {
            hosts.addAll(interfaceAddresses());
        }
        hosts.removeIf(LocalTarget::wildcard);
        return new LocalTarget(hosts);
    }

    /** True when {@code uri} names the gateway itself. */
    public boolean addresses(URI uri) {
        return uri instanceof SipURI sip && sip.getUser() == null && sip.getHost() != null
                && hosts.contains(bare(sip.getHost()));
    }

    public Set<String> hosts() {
        return hosts;
    }

    private static boolean wildcard(String host) {
        String h = bare(host);
        return h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0");
    }

    private static String bare(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static Set<String> interfaceAddresses() {
        Set<String> out = new LinkedHashSet<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    String text = a.getHostAddress();
                    int zone = text.indexOf('%');
                    out.add(zone >= 0 ? text.substring(0, zone) : text);
                }
            }
        } catch (SocketException e) {
            out.add("127.0.0.1"); // at least loopback
        }
        return out;
    }
}
