package io.trunkgate.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.trunkgate.cert.CrlCache;
import io.trunkgate.config.Settings;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The CRL cache's health (CERT-9, issue #14 item 2): per distribution point the age of its CRL and the last failed
 * download; DOWN only under hard-fail while a CRL can be neither downloaded nor served from the cache.
 */
class CrlCheckTest {

    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static final String FRESH = "http://crl.example.net/ca.crl";
    static final String FAILING = "http://crl.example.net/down.crl";

    static HealthCheck.Result report(String policy, List<CrlCache.Status> points) {
        CrlCheck check = new CrlCheck(new Settings(key -> Optional.ofNullable(Map.of("trunkgate.crl.policy", policy).get(key))));
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(check);
        CrlCheck.report(builder, points, "hard-fail".equals(policy), NOW);
        return builder.build();
    }

    static final List<CrlCache.Status> ONE_FRESH_ONE_NEVER_FETCHED = List.of(
            new CrlCache.Status(FRESH, NOW.minus(Duration.ofMinutes(10)), NOW.plus(Duration.ofHours(6)), null, null),
            new CrlCache.Status(FAILING, null, null, "connect timed out", NOW.minusSeconds(30)));

    @Test
    @DisplayName("CERT-9 hard-fail: a CRL that cannot be had turns the check DOWN; details give each CRL's age and failure")
    void hardFailDown() {
        HealthCheck.Result r = report("hard-fail", ONE_FRESH_ONE_NEVER_FETCHED);
        assertEquals(HealthCheck.State.DOWN, r.getState());
        assertTrue(r.getMessage().orElseThrow().contains("CERT-9"), r.getMessage().orElseThrow());
        assertEquals("age 600 s, nextUpdate " + NOW.plus(Duration.ofHours(6)), r.getDetails().get(FRESH));
        assertTrue(r.getDetails().get(FAILING).toString().startsWith("none cached, last download failed at "
                + NOW.minusSeconds(30) + ": connect timed out"), r.getDetails().toString());
        assertEquals("hard-fail", r.getDetails().get("policy"));
    }

    @Test
    @DisplayName("CERT-9 soft-fail: the same cache is UP, its message counts the CRLs without a current one")
    void softFailUp() {
        HealthCheck.Result r = report("soft-fail", ONE_FRESH_ONE_NEVER_FETCHED);
        assertEquals(HealthCheck.State.UP, r.getState());
        assertTrue(r.getMessage().orElseThrow().contains("1 without a current CRL"), r.getMessage().orElseThrow());
    }

    @Test
    @DisplayName("CERT-9: a failed refresh while the cached CRL is still current is not a failure, even hard-fail")
    void failedRefreshOfACurrentCrlIsUp() {
        HealthCheck.Result r = report("hard-fail", List.of(new CrlCache.Status(FRESH, NOW.minus(Duration.ofHours(1)),
                NOW.plus(Duration.ofHours(1)), "HTTP 500", NOW.minusSeconds(5))));
        assertEquals(HealthCheck.State.UP, r.getState(), r.getMessage().orElse(""));
        assertTrue(r.getDetails().get(FRESH).toString().contains("HTTP 500"), r.getDetails().toString());
        HealthCheck.Result stale = report("hard-fail", List.of(new CrlCache.Status(FRESH, NOW.minus(Duration.ofHours(3)),
                NOW.minus(Duration.ofHours(1)), "HTTP 500", NOW.minusSeconds(5))));
        assertEquals(HealthCheck.State.DOWN, stale.getState(), "past its nextUpdate and no new one: DOWN");
    }
}
