package io.trunkgate.ha;

import java.util.function.Supplier;

import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code haRoutePolicy}, named by the listener routes (routes/listeners.yaml, {@code routePolicyRef}): with HA on, a
 * listener does not start with the context but when this instance becomes the active one, after its calls were
 * restored ({@link HaService}), and stops when it stops being active; so a standby binds none of the shared service
 * address's ports. With HA off it does nothing. Camel's own ClusteredRoutePolicy (camel-cluster) starts routes on
 * leadership alone, before a takeover could restore the calls their first messages belong to: hence this one.
 */
public final class HaRoutePolicy extends RoutePolicySupport {

    private static final Logger LOG = LoggerFactory.getLogger(HaRoutePolicy.class);

    private final Supplier<HaService> ha;

    public HaRoutePolicy(Supplier<HaService> ha) {
        this.ha = ha;
    }

    @Override
    public void onInit(Route route) {
        super.onInit(route);
        HaService service = ha.get();
        if (service.enabled()) {
            route.setAutoStartup(false);
            service.manage(route.getId());
            LOG.debug("route {} starts when this instance holds the HA lease", route.getId());
        }
    }
}
