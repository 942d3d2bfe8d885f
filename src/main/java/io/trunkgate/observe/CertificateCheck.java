package io.trunkgate.observe;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.trunkgate.cert.CertificateNames;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.tls.TrunkTls;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness: our own certificate (the one the TLS listener presents, reloaded when its files change, CERT-2). DOWN
 * when expired or not yet valid (CERT-8: every remote refuses the handshake); UP with a warning detail inside
 * {@code trunkgate.tls.expiry-warning-days}. Details: subject, names, validity and days left.
 */
final class CertificateCheck extends TrunkgateCheck {

    static final String ID = "trunkgate-certificate";

    private final int warningDays;

    CertificateCheck(Settings settings) {
        super(ID, true, false);
        this.warningDays = settings.getInt("trunkgate.tls.expiry-warning-days", 0);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        TrunkTls tls = bean(TrunkgateBeans.TRUNK_TLS, TrunkTls.class).orElse(null);
        if (tls == null) {
            builder.message("no trunkTls bean").down();
            return;
        }
        X509Certificate leaf = tls.chain().get(0);
        Instant now = Instant.now();
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        long daysLeft = Duration.between(now, notAfter).toDays();
        builder.detail("subject", leaf.getSubjectX500Principal().getName());
        builder.detail("names", String.join(",", CertificateNames.dnsNames(leaf)));
        builder.detail("not_before", notBefore.toString());
        builder.detail("not_after", notAfter.toString());
        builder.detail("days_left", daysLeft);
        if (now.isAfter(notAfter)) {
            builder.message("our certificate expired on " + notAfter + ": every remote refuses the handshake (CERT-8)").down();
        } else if (now.isBefore(notBefore)) {
            builder.message("our certificate is not yet valid (from " + notBefore + "): remotes refuse the handshake (CERT-8)")
                    .down();
        } else if (daysLeft <= warningDays) {
            builder.detail("warning", "expires in " + daysLeft + " day(s), within trunkgate.tls.expiry-warning-days="
                    + warningDays + ": renew it (CERT-8)");
            builder.message("expires in " + daysLeft + " day(s) (CERT-8)").up();
        } else {
            builder.message("valid for " + daysLeft + " more day(s) (CERT-8)").up();
        }
    }
}
