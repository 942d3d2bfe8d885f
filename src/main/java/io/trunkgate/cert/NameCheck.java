package io.trunkgate.cert;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Step 5: the certificate names the host we dialled (CERT-5). The host must be a SAN dNSName; the subject CN counts
 * only when the certificate has no dNSName at all (RFC 6125). Comparison ignores case and one trailing dot. An IP
 * literal is never an identity and IP SANs never satisfy the check (CERT-6). Wildcards are refused unless allowed
 * (CERT-11). For SRV the caller passes the target, and an owner name with service labels is refused (CERT-12). A
 * subjectAltName that cannot be parsed refuses the certificate: read as "no SAN" it would let the CN decide.
 */
final class NameCheck {

    private NameCheck() {
    }

    static void check(X509Certificate leaf, PeerName name, boolean allowWildcards, List<Finding> out) {
        String host = CertificateNames.normalise(name.host());
        String srv = name.viaSrv() ? " (SRV target of " + name.srvOwner() + ", CERT-12)" : "";
        if (host.isEmpty()) {
            out.add(Finding.error("CERT-5", "no host name to check the certificate against"));
            return;
        }
        if (CertificateNames.isIpLiteral(host)) {
            out.add(Finding.error("CERT-6", "'" + host + "' is an IP address: identities are host names, so a"
                    + " connection by IP address cannot be validated; dial a host name the certificate carries"));
            return;
        }
        if (host.startsWith("_") || host.contains("._")) {
            out.add(Finding.error("CERT-12", "'" + host + "' has SRV service labels: certificates carry the SRV"
                    + " target's name, never the _sips._tcp owner name; check the target host"));
            return;
        }
        Optional<String> defect = CertificateNames.sanDefect(leaf);
        if (defect.isPresent()) {
            out.add(Finding.error("CERT-5", "'" + CertificateNames.display(leaf) + "': " + defect.get() + ": the"
                    + " names it holds cannot be read, and the subject CN does not stand in for them; refusing"));
            return;
        }
        List<String> dns = CertificateNames.dnsNames(leaf);
        List<String> ips = CertificateNames.ipAddresses(leaf);
        if (!ips.isEmpty()) {
            out.add(Finding.info("CERT-6", "IP address SANs " + ips + " are ignored: they never satisfy a name check"));
        }
        if (dns.isEmpty()) {
            checkCommonName(leaf, host, srv, ips, allowWildcards, out);
            return;
        }
        for (String d : dns) {
            if (!CertificateNames.isWildcard(d) && CertificateNames.normalise(d).equals(host)) {
                out.add(Finding.info("CERT-5", "'" + host + "'" + srv + " matches SAN dNSName '" + d + "'"));
                return;
            }
        }
        for (String d : dns) {
            if (CertificateNames.isWildcard(d) && CertificateNames.wildcardMatches(d, host)) {
                out.add(wildcard(host + srv, "SAN dNSName '" + d + "'", allowWildcards));
                return;
            }
        }
        String cnNote = CertificateNames.commonNames(leaf).stream()
                .anyMatch(cn -> CertificateNames.normalise(cn).equals(host))
                ? "; the subject CN matches, but a CN counts only when the certificate has no SAN dNSName" : "";
        out.add(Finding.error("CERT-5", "'" + host + "'" + srv + " is not among the certificate's SAN dNSNames "
                + dns + cnNote + ": refusing the connection (spoofing risk)"));
    }

    private static void checkCommonName(X509Certificate leaf, String host, String srv, List<String> ips,
            boolean allowWildcards, List<Finding> out) {
        List<String> cns = CertificateNames.commonNames(leaf);
        for (String cn : cns) {
            if (!CertificateNames.isWildcard(cn) && CertificateNames.normalise(cn).equals(host)) {
                out.add(Finding.info("CERT-5", "'" + host + "'" + srv + " matches the subject CN (the certificate"
                        + " has no SAN dNSName)"));
                return;
            }
        }
        for (String cn : cns) {
            if (CertificateNames.isWildcard(cn) && CertificateNames.wildcardMatches(cn, host)) {
                out.add(wildcard(host + srv, "subject CN '" + cn + "'", allowWildcards));
                return;
            }
        }
        out.add(Finding.error("CERT-5", "'" + host + "'" + srv + " is not in the certificate: no SAN dNSName"
                + (ips.isEmpty() ? "" : " (only IP SANs " + ips + ", which never count, CERT-6)")
                + " and the subject CN is " + (cns.isEmpty() ? "absent" : cns)));
    }

    private static Finding wildcard(String host, String what, boolean allowed) {
        return allowed
                ? Finding.warning("CERT-11", "'" + host + "' matches only the wildcard " + what
                        + ", accepted because trunkgate.tls.allow-wildcards=true")
                : Finding.error("CERT-11", "'" + host + "' matches only the wildcard " + what
                        + ": wildcard certificates are refused (set trunkgate.tls.allow-wildcards=true to accept)");
    }
}
