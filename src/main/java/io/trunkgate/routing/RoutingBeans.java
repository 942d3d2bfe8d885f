package io.trunkgate.routing;

import static io.trunkgate.flow.TrunkgateBeans.ROUTER;
import static io.trunkgate.flow.TrunkgateBeans.SIP_URI;
import static io.trunkgate.flow.TrunkgateBeans.TRUNK_ROUTE;
import static io.trunkgate.flow.TrunkgateBeans.bindDefault;

import io.trunkgate.config.Settings;
import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.sip.SipUriProcessor;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing part of trunkgate's beans: {@code router} (trunks.yaml and regions.yaml, loaded and validated at
 * start-up: a bad file throws a ConfigException and start-up stops), {@code sipUri} and {@code trunkRoute}. Each is
 * bound only when the name is free; trunkRoute uses whatever router is bound.
 */
public final class RoutingBeans {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingBeans.class);

    private RoutingBeans() {
    }

    /** Binds the free names; returns the router bound under {@code router}. */
    public static Router bind(CamelContext context, Settings settings) {
        bindDefault(context, ROUTER, () -> load(settings));
        bindDefault(context, SIP_URI, SipUriProcessor::new);
        bindDefault(context, TRUNK_ROUTE, () -> new TrunkRouteProcessor(TrunkgateBeans.ref(context, ROUTER, Router.class)));
        return TrunkgateBeans.lookup(context, ROUTER, Router.class);
    }

    /** The router over the configuration folder, its warnings logged. */
    public static Router load(Settings settings) {
        RoutingConfig config = RoutingConfig.load(settings);
        config.warnings().forEach(w -> LOG.warn("{}", w));
        LOG.info("routing: {} trunk(s), {} region(s) from {}; inbound by {}, outbound by {}", config.trunks().size(),
                config.regions().size(), config.dir(), config.inboundOrder(), config.outboundOrder());
        return new Router(config, new DnsSrvResolver());
    }
}
