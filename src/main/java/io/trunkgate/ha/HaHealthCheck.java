package io.trunkgate.ha;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * {@code haHealthCheck} (group {@code trunkgate}, id {@code ha}): a Camel health check bound in the registry. DOWN with
 * "HA degraded" while HA is on and Redis does not answer: calls go on, but a failover now would lose what changed
 * meanwhile (issue #18 item 3). Not a liveness check: restarting an instance for Redis would cost its calls. The
 * details carry the role and the counters ({@link HaStatus}).
 */
public final class HaHealthCheck implements HealthCheck {

    private final Supplier<HaService> ha;
    private volatile boolean enabled = true;

    public HaHealthCheck(Supplier<HaService> ha) {
        this.ha = ha;
    }

    @Override
    public String getGroup() {
        return "trunkgate";
    }

    @Override
    public String getId() {
        return "ha";
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    /** Neither liveness nor readiness: with Redis down calls go on (issue #18 item 3); a probe must not pull us. */
    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HaStatus s = ha.get().status();
        HealthCheckResultBuilder result = HealthCheckResultBuilder.on(this)
                .detail("ha.role", s.role())
                .detail("ha.redis.up", s.redisUp())
                .detail("ha.calls", s.liveCalls())
                .detail("ha.writes", s.writes())
                .detail("ha.writes.failed", s.failedWrites())
                .detail("ha.resyncs", s.resyncs())
                .detail("ha.takeovers", s.takeovers());
        if (s.degraded()) {
            return result.down().message("HA degraded: Redis does not answer (" + s.lastError()
                    + "); calls go on without HA, their state is written again when Redis is back").build();
        }
        return result.up().message(s.enabled() ? "HA " + s.role() : "HA off").build();
    }
}
