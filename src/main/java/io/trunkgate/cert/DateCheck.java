package io.trunkgate.cert;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Step 3 (CERT-8): every certificate of the path must be inside its validity period at the validation instant;
 * one that expires within the warning window is a WARNING so renewal happens before calls fail. The anchor's own
 * expiry is a warning only: RFC 5280 does not bound a trust anchor by its certificate's dates.
 */
final class DateCheck {

    private DateCheck() {
    }

    static void check(List<X509Certificate> certificates, X509Certificate anchor, Instant at, int warningDays,
            List<Finding> out) {
        int before = out.size();
        for (X509Certificate c : certificates) {
            check(c, at, warningDays, false, out);
        }
        if (anchor != null) {
            check(anchor, at, warningDays, true, out);
        }
        if (out.subList(before, out.size()).stream().noneMatch(f -> f.severity() != Severity.INFO)) {
            out.add(Finding.info("CERT-8", "every certificate is within its validity period at " + at));
        }
    }

    private static void check(X509Certificate c, Instant at, int warningDays, boolean anchor, List<Finding> out) {
        Instant notBefore = c.getNotBefore().toInstant();
        Instant notAfter = c.getNotAfter().toInstant();
        String who = (anchor ? "trust anchor '" : "'") + CertificateNames.display(c) + "'";
        if (at.isBefore(notBefore)) {
            out.add(anchor ? Finding.warning("CERT-8", who + " is not valid before " + notBefore)
                    : Finding.error("CERT-8", who + " is not yet valid: valid from " + notBefore + ", checked at " + at));
        } else if (at.isAfter(notAfter)) {
            out.add(anchor ? Finding.warning("CERT-8", who + " expired at " + notAfter)
                    : Finding.error("CERT-8", who + " expired at " + notAfter + ", checked at " + at));
        } else if (notAfter.isBefore(at.plus(Duration.ofDays(warningDays)))) {
            long days = Duration.between(at, notAfter).toDays();
            out.add(Finding.warning("CERT-8", who + " expires in " + days + " days (" + notAfter
                    + "): renew it (warning window " + warningDays + " days)"));
        }
    }
}
