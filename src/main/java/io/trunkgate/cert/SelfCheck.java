package io.trunkgate.cert;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import org.slf4j.Logger;

/**
 * The start-up check of our own certificate (CERT-7, CERT-10): a wrongly configured certificate makes the remote's
 * calls to us fail far away, where nobody sees why, so we look first. Our chain must be complete (TLS-9) and valid
 * against the configured trust or public-cas (what remotes trust, CERT-4), within its dates (CERT-8), usable as a
 * TLS server certificate, and carry every name we advertise as a SAN dNSName (CERT-7): no wildcard (CERT-11), no IP
 * (CERT-6); and that our private key file, when one is configured, is readable by its owner only. Revocation is not
 * checked: start-up must not depend on a CRL server.
 */
public final class SelfCheck {

    public static final String TITLE = "own certificate self-check (CERT-7, CERT-10)";

    private SelfCheck() {
    }

    /** With the settings of the running process (trust, wildcards, expiry window), at the current instant. */
    public static Report check(List<X509Certificate> ourChain, Collection<String> advertisedNames, TrustAnchors trust,
            Settings settings) {
        return check(ourChain, advertisedNames, trust, CertSettings.from(settings), Instant.now());
    }

    /**
     * @param trust the configured trust (the dev root in development); null: public-cas only
     */
    public static Report check(List<X509Certificate> ourChain, Collection<String> advertisedNames, TrustAnchors trust,
            CertSettings settings, Instant at) {
        List<Finding> out = new ArrayList<>();
        if (ourChain == null || ourChain.isEmpty()) {
            out.add(Finding.error("CERT-1", "no own certificate is configured"));
            return new Report("own certificate", out);
        }
        try {
            steps(ourChain, advertisedNames, trust, settings, at, out);
        } catch (RuntimeException e) {
            out.add(CertificateValidator.unexpected(e));
        }
        if (settings.ownKey() != null) {
            Pem.readableByOthers(settings.ownKey()).ifPresent(who -> out.add(Finding.warning("CERT-10",
                    "our private key " + settings.ownKey() + " is readable by " + who + ": anyone who can read it"
                    + " can impersonate us; make it readable by its owner only (chmod 600)")));
        }
        return new Report("own certificate '" + CertificateNames.display(ourChain.get(0)) + "'", out);
    }

    private static void steps(List<X509Certificate> ourChain, Collection<String> advertisedNames, TrustAnchors trust,
            CertSettings settings, Instant at, List<Finding> out) {
        out.addAll(pathFindings(ourChain, trust, settings, at));
        X509Certificate leaf = ourChain.get(0);
        Optional<String> defect = CertificateNames.sanDefect(leaf);
        if (defect.isPresent()) {
            out.add(Finding.error("CERT-7", "our certificate '" + CertificateNames.display(leaf) + "': "
                    + defect.get() + ": remotes cannot read the names we advertise (CERT-5, CERT-10)"));
            return;
        }
        List<String> dns = CertificateNames.dnsNames(leaf);
        names(leaf, dns, advertisedNames, settings.allowWildcards(), out);
        for (String d : dns) {
            if (CertificateNames.isWildcard(d)) {
                out.add(settings.allowWildcards()
                        ? Finding.warning("CERT-11", "our certificate carries the wildcard '" + d + "'; some SIP"
                                + " devices refuse wildcard certificates")
                        : Finding.error("CERT-11", "our certificate carries the wildcard '" + d + "': wildcard"
                                + " certificates are not used, some SIP devices refuse them"));
            }
        }
        List<String> ips = CertificateNames.ipAddresses(leaf);
        if (!ips.isEmpty()) {
            out.add(Finding.warning("CERT-6", "our certificate carries IP address SANs " + ips
                    + ": remotes validate host names only, so they serve no purpose"));
        }
    }

    /** Against the configured trust; when that fails on trust grounds, against public-cas (what remotes trust). */
    private static List<Finding> pathFindings(List<X509Certificate> chain, TrustAnchors trust, CertSettings settings,
            Instant at) {
        List<Finding> configured = new ArrayList<>();
        if (trust != null) {
            CertificateValidator.withoutRevocation(trust, settings).validatePath(chain, PeerRole.SERVER, at,
                    configured);
            if (!hasPathError(configured) || trust.name().equals(TrustProfiles.PUBLIC_CAS)) {
                return configured;
            }
        }
        List<Finding> publicCas = new ArrayList<>();
        CertificateValidator.withoutRevocation(TrustProfiles.publicCas(), settings).validatePath(chain,
                PeerRole.SERVER, at, publicCas);
        if (trust == null || !hasPathError(publicCas)) {
            return publicCas;
        }
        configured.add(Finding.info("CERT-4", "the chain does not validate against " + TrustProfiles.PUBLIC_CAS
                + " either"));
        return configured;
    }

    private static boolean hasPathError(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR
                && (f.requirement().equals("TLS-9") || f.requirement().equals("CERT-1")));
    }

    private static void names(X509Certificate leaf, List<String> dns, Collection<String> advertised,
            boolean allowWildcards, List<Finding> out) {
        if (advertised.isEmpty()) {
            out.add(Finding.warning("CERT-7", "no advertised host names to check (trunkgate.tls.advertised-names)"));
        }
        for (String raw : advertised) {
            String name = CertificateNames.normalise(raw);
            if (CertificateNames.isIpLiteral(name)) {
                out.add(Finding.error("CERT-6", "advertised name '" + raw + "' is an IP address: remotes validate"
                        + " host names only; advertise a host name"));
            } else if (CertificateNames.isWildcard(name)) {
                out.add(Finding.error("CERT-11", "advertised name '" + raw + "' is a wildcard"));
            } else if (dns.stream().anyMatch(d -> !CertificateNames.isWildcard(d)
                    && CertificateNames.normalise(d).equals(name))) {
                out.add(Finding.info("CERT-7", "'" + name + "' is a SAN dNSName of our certificate"));
            } else if (dns.stream().anyMatch(d -> CertificateNames.wildcardMatches(d, name))) {
                out.add(allowWildcards
                        ? Finding.warning("CERT-11", "'" + name + "' is covered only by a wildcard SAN")
                        : Finding.error("CERT-11", "'" + name + "' is covered only by a wildcard SAN: add it as a"
                                + " SAN dNSName"));
            } else {
                boolean cn = CertificateNames.commonNames(leaf).stream()
                        .anyMatch(c -> CertificateNames.normalise(c).equals(name));
                out.add(Finding.error("CERT-7", "'" + name + "', a name remotes dial, is not a SAN dNSName of our"
                        + " certificate " + dns + (cn ? " (it is only the CN, which remotes ignore when SANs exist)"
                        : "") + ": their calls to us will fail name validation (CERT-5, CERT-10)"));
            }
        }
    }

    /**
     * Logs the report as one block (WARN when it has warnings or errors) and, with trunkgate.tls.self-check=fail,
     * stops start-up when it has errors.
     */
    public static void enforce(Report report, CertSettings settings, Logger log) {
        String block = report.block(TITLE + " of " + report.subject());
        if (report.valid() && report.warnings().isEmpty()) {
            log.info(block);
        } else {
            log.warn(block);
        }
        if (!report.valid() && settings.selfCheckFails()) {
            throw new ConfigException(CertSettings.SELF_CHECK, "is fail and our certificate has errors (CERT-10): "
                    + report.line(Severity.ERROR));
        }
    }
}
