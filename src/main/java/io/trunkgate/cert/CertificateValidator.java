package io.trunkgate.cert;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.trunkgate.config.ConfigException;

/**
 * The one certificate validator of trunkgate: the client role's trust manager, the optional client-auth server role,
 * the start-up self-check, {@code cert verify} and {@code check} all call {@link #validate} and read the same
 * findings. Steps, each a class named after it: chain build (TLS-9/TLS-10, CERT-1), which has each candidate path
 * judged by PKIX path validation with the anchor's name constraints (CERT-1), key strength (CERT-1) and dates
 * (CERT-8); key usage (CERT-1), names (CERT-5, CERT-6, CERT-11, CERT-12), revocation (CERT-9). Whatever a
 * certificate holds, it gets a verdict: an exception inside a step is an ERROR finding, never thrown. Thread-safe.
 */
public final class CertificateValidator {

    private final TrustAnchors trust;
    private final CertSettings settings;
    private final RevocationCheck revocation;

    /**
     * @param revocation null: no revocation step (the self-check; a tool that asked for none)
     */
    CertificateValidator(TrustAnchors trust, CertSettings settings, RevocationCheck revocation) {
        this.trust = trust;
        this.settings = settings;
        this.revocation = revocation;
    }

    /**
     * The validator of a running gateway: trust, CRL files and policy from the settings, downloads through
     * {@code crls} (the process's one cache; null: local CRL files only).
     */
    public static CertificateValidator of(TrustAnchors trust, CertSettings settings, CrlCache crls) {
        LocalCrls local;
        try {
            local = LocalCrls.load(settings.crlFiles());
        } catch (IOException e) {
            throw new ConfigException(CertSettings.CRL_FILES, "cannot be read: " + e.getMessage());
        }
        return new CertificateValidator(trust, settings, new RevocationCheck(local, crls, settings.crlPolicy()));
    }

    /** A validator with CRLs from files only (no downloads), e.g. {@code cert verify --crl}. */
    public static CertificateValidator withLocalCrls(TrustAnchors trust, CertSettings settings, LocalCrls crls) {
        return new CertificateValidator(trust, settings, new RevocationCheck(crls, null, settings.crlPolicy()));
    }

    /** A validator without a revocation step. */
    public static CertificateValidator withoutRevocation(TrustAnchors trust, CertSettings settings) {
        return new CertificateValidator(trust, settings, null);
    }

    public TrustAnchors trust() {
        return trust;
    }

    public CertSettings settings() {
        return settings;
    }

    /**
     * Validates a chain as presented by a peer (leaf first) at {@code at}.
     *
     * @param name the host the certificate must name: for a server the dialled host or SRV target; null for a
     *             client certificate (TLS-7 attributes inbound connections by address and Request-URI)
     * @param role the role of the certificate's holder (its extendedKeyUsage)
     */
    public Report validate(List<X509Certificate> chain, PeerName name, PeerRole role, Instant at) {
        List<Finding> out = new ArrayList<>();
        String subject = "certificate of " + (name != null ? name : role.name().toLowerCase() + " peer");
        if (chain == null || chain.isEmpty()) {
            out.add(Finding.error("CERT-1", "the peer presented no certificate"));
            return new Report(subject, out);
        }
        try {
            steps(chain, name, role, at, out);
        } catch (RuntimeException e) {
            out.add(unexpected(e));
        }
        return new Report(subject, out);
    }

    /** The ERROR for an exception a step did not expect: the certificate is refused with a reason, never thrown. */
    static Finding unexpected(RuntimeException e) {
        return Finding.error("CERT-1", "the certificate could not be validated (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "): refused");
    }

    private void steps(List<X509Certificate> chain, PeerName name, PeerRole role, Instant at, List<Finding> out) {
        X509Certificate leaf = chain.get(0);
        Optional<ChainBuild.Path> path = validatePath(chain, role, at, out);
        if (name != null) {
            NameCheck.check(leaf, name, settings.allowWildcards(), out);
        } else if (role == PeerRole.SERVER) {
            out.add(Finding.error("CERT-5", "no host name was given to check the server certificate against"));
        }
        if (revocation != null) {
            if (path.isEmpty() || out.stream().anyMatch(f -> f.severity() == Severity.ERROR)) {
                // an untrusted chain must not make us download from URLs it names, and a refusal needs no CRL
                out.add(Finding.info("CERT-9", "revocation not checked: the certificate is already refused"));
            } else {
                revocation.check(path.get(), at, out);
            }
        }
    }

    /** The name-independent steps (chain, PKIX, dates, usage); the self-check adds its own name rules. */
    Optional<ChainBuild.Path> validatePath(List<X509Certificate> chain, PeerRole role, Instant at, List<Finding> out) {
        Optional<ChainBuild.Path> path = ChainBuild.build(chain, trust, candidate -> judge(candidate, at),
                PublicCas::jdkRoots, out);
        if (path.isEmpty()) {
            DateCheck.check(chain, null, at, settings.expiryWarningDays(), out);
        }
        UsageCheck.check(chain.get(0), role, out);
        return path;
    }

    /** The findings of one candidate path: an ERROR among them sends the chain build on to the next candidate. */
    private List<Finding> judge(ChainBuild.Path candidate, Instant at) {
        List<Finding> findings = new ArrayList<>();
        PathValidation.validate(candidate, at, findings);
        StrengthCheck.check(candidate, findings);
        DateCheck.check(candidate.certificates(), candidate.anchor(), at, settings.expiryWarningDays(), findings);
        return findings;
    }
}
