package io.trunkgate.cert;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Step 2: RFC 5280 path validation by the JDK's PKIX validator: signatures, basicConstraints and pathLen, CA keyUsage,
 * critical extensions, algorithm constraints. Dates are the date step's findings and revocation is ours (CRL cache),
 * so PKIX runs without revocation and, when only dates fail, again at an instant inside every validity period so
 * that a structural fault is not hidden behind an expiry.
 */
final class PathValidation {

    private PathValidation() {
    }

    static void validate(ChainBuild.Path path, Instant at, List<Finding> out) {
        CertPathValidatorException failure = run(path, at);
        if (failure != null && isDateReason(failure)) {
            Instant inside = insideAllValidity(path);
            failure = inside == null ? null : run(path, inside);
            if (failure != null && isDateReason(failure)) {
                failure = null; // the date step reports it
            }
        }
        if (failure == null) {
            out.add(Finding.info("CERT-1", "path verified: signatures, basicConstraints, pathLen, keyUsage"));
            return;
        }
        out.add(Finding.error("CERT-1", explain(path, failure)));
    }

    private static CertPathValidatorException run(ChainBuild.Path path, Instant at) {
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path.certificates());
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(path.anchor(), null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            // a new validator per call: CertPathValidator instances are not thread-safe
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
            return null;
        } catch (CertPathValidatorException e) {
            return e;
        } catch (InvalidAlgorithmParameterException e) {
            return new CertPathValidatorException(e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            return new CertPathValidatorException("cannot validate: " + e.getMessage(), e);
        }
    }

    private static boolean isDateReason(CertPathValidatorException e) {
        return e.getReason() == BasicReason.EXPIRED || e.getReason() == BasicReason.NOT_YET_VALID;
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

    private static String explain(ChainBuild.Path path, CertPathValidatorException e) {
        int i = e.getIndex();
        String who = i >= 0 && i < path.certificates().size()
                ? "'" + CertificateNames.display(path.certificates().get(i)) + "'" : "the path";
        String issuer = i >= 0 && i < path.certificates().size()
                ? "'" + CertificateNames.display(path.issuerOf(i)) + "'" : "its issuer";
        if (e.getReason() == BasicReason.INVALID_SIGNATURE) {
            return "the signature of " + who + " does not verify with the key of " + issuer;
        }
        if (e.getReason() == PKIXReason.NOT_CA_CERT) {
            return who + " issued a certificate but is not a CA certificate (basicConstraints cA missing)";
        }
        if (e.getReason() == PKIXReason.PATH_TOO_LONG) {
            return "the path is longer than the pathLenConstraint of a CA above " + who + " allows";
        }
        if (e.getReason() == PKIXReason.INVALID_KEY_USAGE) {
            return "the keyUsage of " + who + " does not allow signing certificates (keyCertSign)";
        }
        if (e.getReason() == PKIXReason.UNRECOGNIZED_CRIT_EXT) {
            return who + " has a critical extension this validator does not know";
        }
        if (e.getReason() == BasicReason.ALGORITHM_CONSTRAINED) {
            return who + " uses a disabled (weak) algorithm or key size: " + e.getMessage();
        }
        return "path validation failed at " + who + ": " + e.getMessage();
    }
}
