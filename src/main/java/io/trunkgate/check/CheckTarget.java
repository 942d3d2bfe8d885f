package io.trunkgate.check;

import java.util.Locale;

import io.trunkgate.cert.CertificateNames;

/** {@code HOST[:PORT]} of {@code check}: a host name, never an IP literal (CERT-6); port 5061 by default (TLS-3). */
public record CheckTarget(String host, int port) {

    public static final int DEFAULT_PORT = 5061;

    /** @throws IllegalArgumentException for an IP literal or a bad port, with a message citing the rule */
    public static CheckTarget parse(String value) {
        String host = value;
        int port = DEFAULT_PORT;
        boolean bracketed = value.startsWith("[");
        int colons = value.length() - value.replace(":", "").length();
        if (!bracketed && colons == 1) {
            host = value.substring(0, value.indexOf(':'));
            port = port(value.substring(value.indexOf(':') + 1));
        } else if (bracketed && value.contains("]:")) {
            host = value.substring(0, value.indexOf("]:") + 1);
            port = port(value.substring(value.indexOf("]:") + 2));
        }
        if (CertificateNames.isIpLiteral(host)) {
            throw new IllegalArgumentException("refusing " + host + ": a trunk remote is checked by host name, never"
                    + " by IP address, since certificates name hosts (CERT-6)");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host name in '" + value + "'");
        }
        return new CheckTarget(host.toLowerCase(Locale.ROOT), port);
    }

    private static int port(String value) {
        try {
            int p = Integer.parseInt(value);
            if (p > 0 && p < 65536) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("'" + value + "' is not a port number");
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
