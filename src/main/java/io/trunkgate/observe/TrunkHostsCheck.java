package io.trunkgate.observe;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.routing.HostLiveness;
import io.trunkgate.routing.RemoteHost;
import io.trunkgate.routing.Router;
import io.trunkgate.routing.Trunk;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * One trunk: which of its remote hosts are reachable, as the OPTIONS probes last found them (ROUTE-5). DOWN when
 * every host is DOWN (its outbound calls can only fail). Neither readiness nor liveness: the other trunks' calls go
 * on, so it shows in {@code /observe/health} only.
 */
final class TrunkHostsCheck extends TrunkgateCheck {

    private final String trunkId;

    TrunkHostsCheck(String trunkId) {
        super("trunkgate-trunk-" + trunkId, false, false);
        this.trunkId = trunkId;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Router router = bean(TrunkgateBeans.ROUTER, Router.class).orElse(null);
        Trunk trunk = router == null ? null : router.config().trunk(trunkId).orElse(null);
        if (trunk == null) {
            builder.message("trunk " + trunkId + " is not configured").down();
            return;
        }
        List<RemoteHost> hosts;
        try {
            hosts = router.remoteHosts(trunk);
        } catch (IOException | RuntimeException e) {
            builder.message("remote hosts unknown: " + e.getMessage() + " (ROUTE-4)").down();
            return;
        }
        HostLiveness liveness = bean(TrunkgateBeans.HOST_LIVENESS, HostLiveness.class).orElse(HostLiveness.alwaysUp());
        Map<RemoteHost, HostLiveness.HostState> probed = new java.util.HashMap<>();
        liveness.states().forEach(s -> probed.put(s.host(), s));
        int up = 0;
        for (RemoteHost host : hosts) {
            boolean isUp = liveness.isUp(host);
            up += isUp ? 1 : 0;
            HostLiveness.HostState s = probed.get(host);
            builder.detail(host.toString(), (isUp ? "UP" : "DOWN") + (s == null || s.last() == null ? ", not probed yet"
                    : ", last probe: " + s.last() + ", since " + s.since()));
        }
        if (hosts.isEmpty() || up > 0) {
            builder.message(up + " of " + hosts.size() + " remote host(s) UP (ROUTE-5)").up();
        } else {
            builder.message("every remote host is DOWN: outbound calls on this trunk fail (ROUTE-5)").down();
        }
    }
}
