package io.trunkgate.cert;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXCertPathChecker;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Step 2: RFC 5280 path validation of one candidate path by Bouncy Castle's PKIX validator: signatures,
 * basicConstraints and pathLen, CA keyUsage, critical extensions, the name constraints of intermediates, policies.
 * BC's rather than the JDK's: the JDK throws UnsupportedOperationException on an otherName constraint, and neither
 * applies a trust anchor's own nameConstraints, which {@link NameConstraintsCheck} does. Weak keys and signature
 * algorithms (the JDK's algorithm constraints) are {@link StrengthCheck}'s. Dates are the date step's findings and
 * revocation is ours (CRL cache), so PKIX runs without revocation and, when only dates fail, again at an instant
 * inside every validity period so that a structural fault is not hidden behind an expiry.
 */
final class PathValidation {

    /** A provider of our own: BC's PKIX needs no registration, and Providers.ensure() stays the TLS code's concern. */
    private static final Provider BC = new BouncyCastleProvider();

    private PathValidation() {
    }

    static void validate(ChainBuild.Path path, Instant at, List<Finding> out) {
        List<Finding> found = new ArrayList<>();
        NameConstraintsCheck.check(path, found);
        CertPathValidatorException failure = run(path, at);
        if (failure != null && isDateReason(failure)) {
            Instant inside = insideAllValidity(path);
            failure = inside == null ? null : run(path, inside);
            if (failure != null && isDateReason(failure)) {
                failure = null; // the date step reports it
            }
        }
        if (failure != null && isNameConstraint(failure) && !found.isEmpty()) {
            failure = null; // the constraint check said it, naming the CA whose constraint the name breaks
        }
        if (failure != null) {
            found.add(Finding.error("CERT-1", explain(path, failure)));
        } else {
            malformedSan(path, found); // BC refuses most of them itself, not all (see CertificateNames.sanDefect)
        }
        if (found.isEmpty()) {
            out.add(Finding.info("CERT-1", "path verified: signatures, basicConstraints, pathLen, keyUsage, name"
                    + " constraints"));
        }
        out.addAll(found);
    }

    /** RFC 5280 4.2.1.6: a SAN that cannot be parsed makes the certificate invalid, whatever its role. */
    private static void malformedSan(ChainBuild.Path path, List<Finding> out) {
        for (X509Certificate c : path.certificates()) {
            CertificateNames.sanDefect(c).ifPresent(d -> out.add(Finding.error("CERT-1",
                    "'" + CertificateNames.display(c) + "': " + d)));
        }
    }

    private static CertPathValidatorException run(ChainBuild.Path path, Instant at) {
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path.certificates());
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(path.anchor(), null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            params.addCertPathChecker(new ExtendedKeyUsageChecker());
            // a new validator per call: CertPathValidator instances are not thread-safe
            CertPathValidator.getInstance("PKIX", BC).validate(certPath, params);
            return null;
        } catch (CertPathValidatorException e) {
            return e;
        } catch (GeneralSecurityException | RuntimeException e) {
            // whatever a certificate holds, it gets a verdict: a validator that throws refuses the path
            return new CertPathValidatorException("cannot validate: " + e, e);
        }
    }

    /**
     * The leaf's extendedKeyUsage is the usage step's (a critical one is legal, RFC 5280 4.2.1.12), and CA
     * certificates' are not a constraint trunkgate applies: BC would otherwise refuse a critical one as unknown.
     */
    private static final class ExtendedKeyUsageChecker extends PKIXCertPathChecker {
        @Override
        public void init(boolean forward) {
        }

        @Override
        public boolean isForwardCheckingSupported() {
            return true;
        }

        @Override
        public Set<String> getSupportedExtensions() {
            return Set.of(Extension.extendedKeyUsage.getId());
        }

        @Override
        public void check(Certificate cert, Collection<String> unresolvedCritExts) {
            unresolvedCritExts.remove(Extension.extendedKeyUsage.getId());
        }
    }

    private static boolean isDateReason(CertPathValidatorException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return true;
            }
        }
        return e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID;
    }

    private static boolean isNameConstraint(CertPathValidatorException e) {
        return String.valueOf(e.getMessage()).startsWith("Subtree check");
    }

    /** The latest notBefore when it is not after the earliest notAfter; null when the periods do not overlap. */
    private static Instant insideAllValidity(ChainBuild.Path path) {
        Instant from = Instant.MIN;
        Instant to = Instant.MAX;
        for (X509Certificate c : path.certificates()) {
            Instant nb = c.getNotBefore().toInstant();
            Instant na = c.getNotAfter().toInstant();
            from = nb.isAfter(from) ? nb : from;
            to = na.isBefore(to) ? na : to;
        }
        return from.isAfter(to) ? null : from;
    }

    /** BC's messages in the words of the other findings; an unknown one is shown as BC wrote it. */
    private static String explain(ChainBuild.Path path, CertPathValidatorException e) {
        int i = e.getIndex();
        String who = i >= 0 && i < path.certificates().size()
                ? "'" + CertificateNames.display(path.certificates().get(i)) + "'" : "the path";
        String issuer = i >= 0 && i < path.certificates().size()
                ? "'" + CertificateNames.display(path.issuerOf(i)) + "'" : "its issuer";
        String m = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
        if (m.startsWith("Could not validate certificate signature")) {
            return "the signature of " + who + " does not verify with the key of " + issuer;
        }
        if (m.startsWith("Not a CA certificate") || m.startsWith("Version 1 certificates can't be used as CA")) {
            return who + " issued a certificate but is not a CA certificate (basicConstraints cA missing)";
        }
        if (m.startsWith("Max path length not greater than zero")) {
            return "the path is longer than the pathLenConstraint of a CA above " + who + " allows";
        }
        if (m.contains("does not permit key signing")) {
            return "the keyUsage of " + who + " does not allow signing certificates (keyCertSign)";
        }
        if (m.startsWith("Certificate has unsupported critical extension")) {
            return who + " has a critical extension this validator does not know: " + m;
        }
        if (m.startsWith("Subtree check")) {
            return who + " has a name outside the name constraints of a CA above it (RFC 5280 4.2.1.10): " + m;
        }
        return "path validation failed at " + who + ": " + m;
    }
}
