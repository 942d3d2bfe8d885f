package io.trunkgate.routing;

import static io.trunkgate.flow.TrunkgateBeans.HOST_LIVENESS;
import static io.trunkgate.flow.TrunkgateBeans.REFUSALS;
import static io.trunkgate.flow.TrunkgateBeans.ROUTER;
import static io.trunkgate.flow.TrunkgateBeans.SIP_URI;
import static io.trunkgate.flow.TrunkgateBeans.TRUNK_ROUTE;
import static io.trunkgate.flow.TrunkgateBeans.bindDefault;

import java.util.function.Supplier;

import io.trunkgate.config.Settings;
import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.limits.RefusalLog;
import io.trunkgate.sip.SipUriProcessor;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing part of trunkgate's beans: {@code hostLiveness} (UP/DOWN of every remote host, as probed),
 * {@code router} (trunks.yaml and regions.yaml, loaded and validated at start-up: a bad file throws a
 * ConfigException and start-up stops), {@code sipUri} and {@code trunkRoute}. Each is
 * bound only when the name is free; trunkRoute uses whatever router is bound.
 */
public final class RoutingBeans {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingBeans.class);

    private RoutingBeans() {
    }

    /** Binds the free names; returns the router bound under {@code router}. */
    public static Router bind(CamelContext context, Settings settings) {
        bindDefault(context, HOST_LIVENESS, () -> HostLiveness.from(settings));
        bindDefault(context, ROUTER, () -> load(settings, TrunkgateBeans.ref(context, HOST_LIVENESS, HostLiveness.class)));
        bindDefault(context, SIP_URI, () -> new SipUriProcessor(TrunkgateBeans.ref(context, REFUSALS, RefusalLog.class)));
        bindDefault(context, TRUNK_ROUTE, () -> new TrunkRouteProcessor(TrunkgateBeans.ref(context, ROUTER, Router.class)));
        return TrunkgateBeans.lookup(context, ROUTER, Router.class);
    }

    /** The router over the configuration folder, its warnings logged; every host UP (no probing). */
    public static Router load(Settings settings) {
        return load(settings, HostLiveness::alwaysUp);
    }

    /** The router over the configuration folder, its warnings logged; DOWN hosts as {@code liveness} says. */
    public static Router load(Settings settings, Supplier<HostLiveness> liveness) {
        RoutingConfig config = RoutingConfig.load(settings);
        config.warnings().forEach(w -> LOG.warn("{}", w));
        LOG.info("routing: {} trunk(s), {} region(s) from {}; inbound by {}, outbound by {}", config.trunks().size(),
                config.regions().size(), config.dir(), config.inboundOrder(), config.outboundOrder());
        return new Router(config, new HostSelector(srvResolver(settings), System::currentTimeMillis, liveness));
    }

    /** SRV lookups (ROUTE-4) through the DNS servers of {@code trunkgate.dns.servers}, or the system's resolvers. */
    public static SrvResolver srvResolver(Settings settings) {
        return new DnsSrvResolver(settings.getAddresses("trunkgate.dns.servers", 53));
    }
}
