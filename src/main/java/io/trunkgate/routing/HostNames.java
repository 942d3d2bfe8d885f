package io.trunkgate.routing;

import java.util.Locale;

import io.trunkgate.sip.SipUriParser;

/** What a remote proxy name may be: a DNS host name that a certificate can carry (CERT-5, CERT-6, CERT-11, CERT-12). */
final class HostNames {

    private HostNames() {
    }

    /** Null when {@code host} is a usable proxy name, else the rule it breaks with its requirement ID. */
    static String problem(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (SipUriParser.isIpLiteral(h) || h.matches("[0-9.]+")) {
            return "must be a host name, not an IP address: certificates are checked by name and IP addresses are"
                    + " not accepted as identities (CERT-6)";
        }
        if (h.indexOf('*') >= 0) {
            return "must be one host name, not a wildcard (CERT-11)";
        }
        if (h.indexOf('_') >= 0) {
            return "must be a host name without underscores: public CAs do not put them in certificates (CERT-12)";
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty() || h.length() > 253
                || !h.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")) {
            return "must be a DNS host name (letters, digits, hyphens, dots), not '" + host + "' (URI-1)";
        }
        return null;
    }
}
