package io.trunkgate.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.trunkgate.cert.CrlCache;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.tls.TrunkTls;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The CRL cache (CERT-9): per distribution point, the age of the cached CRL and the failure of the last download.
 * UP under {@code trunkgate.crl.policy=soft-fail} (an unobtainable CRL is a warning); under {@code hard-fail} DOWN
 * while a CRL the peers need can be neither downloaded nor served from the cache (their handshakes fail). Not a
 * readiness check: it says why handshakes fail, it does not stop the other trunks' calls.
 */
final class CrlCheck extends TrunkgateCheck {

    static final String ID = "trunkgate-crl";

    private final boolean hardFail;

    CrlCheck(Settings settings) {
        super(ID, false, false);
        this.hardFail = "hard-fail".equals(settings.getChoice("trunkgate.crl.policy", "soft-fail", "hard-fail"));
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        CrlCache crls = bean(TrunkgateBeans.TRUNK_TLS, TrunkTls.class).map(TrunkTls::crls).orElse(null);
        if (crls == null) {
            builder.message("no CRL cache").up();
            return;
        }
        report(builder, crls.status(), hardFail, Instant.now());
    }

    /** The state of the cache's distribution points as of {@code now}. */
    static void report(HealthCheckResultBuilder builder, List<CrlCache.Status> points, boolean hardFail, Instant now) {
        int failing = 0;
        for (CrlCache.Status s : points) {
            StringBuilder d = new StringBuilder();
            d.append(s.obtained() == null ? "none cached" : "age " + Duration.between(s.obtained(), now).toSeconds() + " s");
            if (s.nextUpdate() != null) {
                d.append(", nextUpdate ").append(s.nextUpdate());
            }
            if (s.lastFailure() != null) {
                d.append(", last download failed at ").append(s.lastFailureAt()).append(": ").append(s.lastFailure());
                if (s.obtained() == null || s.nextUpdate() != null && now.isAfter(s.nextUpdate())) {
                    failing++;
                }
            }
            builder.detail(s.url(), d.toString());
        }
        builder.detail("policy", hardFail ? "hard-fail" : "soft-fail");
        if (failing > 0 && hardFail) {
            builder.message(failing + " CRL(s) cannot be had: peers they cover are refused (CERT-9, hard-fail)").down();
        } else {
            builder.message(points.size() + " CRL distribution point(s)"
                    + (failing > 0 ? ", " + failing + " without a current CRL (CERT-9, soft-fail: warnings)" : "")).up();
        }
    }
}
