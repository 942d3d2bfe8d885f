package io.trunkgate.routing;

import io.trunkgate.config.Settings;
import io.trunkgate.sip.SipUriProcessor;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and validates the routing configuration at start-up and binds the beans the routes name: {@code sipUri},
 * {@code trunkRoute} and {@code router} (the shared {@link Router}, for the proxy's failover). Call from
 * TrunkgateConfiguration: {@code RoutingBeans.bind(context, settings)}. A bad trunks.yaml or regions.yaml throws a
 * ConfigException and start-up stops.
 */
public final class RoutingBeans {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingBeans.class);

    private RoutingBeans() {
    }

    public static Router bind(CamelContext context, Settings settings) {
        RoutingConfig config = RoutingConfig.load(settings);
        config.warnings().forEach(w -> LOG.warn("{}", w));
        LOG.info("routing: {} trunk(s), {} region(s) from {}; inbound by {}, outbound by {}", config.trunks().size(),
                config.regions().size(), config.dir(), config.inboundOrder(), config.outboundOrder());
        Router router = new Router(config, new DnsSrvResolver());
        context.getRegistry().bind("router", router);
        context.getRegistry().bind("sipUri", new SipUriProcessor());
        context.getRegistry().bind("trunkRoute", new TrunkRouteProcessor(router));
        return router;
    }
}
