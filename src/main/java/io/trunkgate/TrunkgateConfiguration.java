package io.trunkgate;

import java.security.SecureRandom;
import java.util.Optional;

import io.trunkgate.config.Settings;
import io.trunkgate.media.MediaRelayService;
import io.trunkgate.media.MediaSecurity;
import io.trunkgate.media.MediaSettings;
import io.trunkgate.media.SrtpBridgeProcessor;
import io.trunkgate.proxy.Egress;
import io.trunkgate.proxy.ForwardProcessor;
import io.trunkgate.proxy.ProxyConfig;
import io.trunkgate.proxy.ProxyCore;
import io.trunkgate.proxy.ResponseMatchProcessor;
import io.trunkgate.proxy.RouteSetProcessor;
import io.trunkgate.proxy.SipTransactionProcessor;
import io.trunkgate.routing.Router;
import io.trunkgate.routing.RoutingBeans;
import io.trunkgate.sip.OptionsProcessor;
import io.trunkgate.sip.SipParseProcessor;
import io.trunkgate.sip.SipStreamFraming;
import io.trunkgate.tls.ReadinessLog;
import io.trunkgate.tls.TrunkTls;
import io.trunkgate.transport.InboundConnectionProcessor;
import io.trunkgate.transport.SipServerInitializer;
import io.trunkgate.transport.TrunkConnections;
import io.trunkgate.transport.UdpSockets;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;

/**
 * Binds trunkgate's beans into a Camel context under the names the routes use. Used by {@code run} through
 * camel-main, and by an application that embeds trunkgate
 * ({@code camel.main.configuration-classes=io.trunkgate.TrunkgateConfiguration}). A bean already bound under one
 * of these names (by the embedding application or a YAML {@code beans:} block) is left as it is, so any step can
 * be replaced.
 */
public class TrunkgateConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        addDefaults(context.getPropertiesComponent());
        Settings settings = Settings.of(context);
        Registry registry = context.getRegistry();

        TrunkTls tls = TrunkTls.create(settings);
        bind(registry, "trunkTls", tls);
        UdpSockets udpSockets = new UdpSockets();
        bind(registry, "udpSockets", udpSockets);
        bind(registry, "sipServerPipeline", new SipServerInitializer(udpSockets));
        bind(registry, "sipStreamFraming", new SipStreamFraming(
                settings.getInt("trunkgate.sip.max-header-bytes"), settings.getInt("trunkgate.sip.max-body-bytes")));
        bind(registry, "inboundConnection", new InboundConnectionProcessor());
        bind(registry, "sipParse", new SipParseProcessor());
        bind(registry, "sipOptions", new OptionsProcessor());
        TrunkConnections connections = new TrunkConnections(tls, settings);
        context.addService(connections, true, true);
        bind(registry, "trunkConnections", connections);

        Router router = RoutingBeans.bind(context, settings); // sipUri, trunkRoute, router; trunks.yaml + regions.yaml checked here

        ProxyCore proxy = new ProxyCore(ProxyConfig.from(settings),
                new Egress(connections, udpSockets, settings.getPort("trunkgate.inside.port")));
        context.addService(proxy, true, true);
        bind(registry, "proxyCore", proxy);
        bind(registry, "sipTransaction", new SipTransactionProcessor(proxy));
        bind(registry, "sipRouteSet", new RouteSetProcessor(proxy));
        bind(registry, "responseMatch", new ResponseMatchProcessor(proxy));
        bind(registry, "sipForward", new ForwardProcessor(proxy, router));

        // issue #6: the relay's ports exist only while the context runs; srtpBridge reads media.srtp per trunk (SRTP-2)
        MediaRelayService media = new MediaRelayService(MediaSettings.from(settings));
        context.addService(media, true, true);
        bind(registry, "mediaRelay", media);
        bind(registry, "srtpBridge", new SrtpBridgeProcessor(media,
                id -> router.config().trunk(id).map(t -> MediaSecurity.valueOf(t.srtp().name())),
                new SecureRandom(), proxy.config()));
        context.getManagementStrategy().addEventNotifier(new ReadinessLog());
    }

    private static void bind(Registry registry, String name, Object bean) {
        if (registry.lookupByName(name) == null) {
            registry.bind(name, bean);
        }
    }

    /** The shipped trunkgate.* defaults, at the lowest precedence, for keys nobody set. */
    static void addDefaults(PropertiesComponent pc) {
        Settings.defaults().forEach((k, v) -> {
            if (pc.resolveProperty((String) k).isEmpty()) {
                pc.addInitialProperty((String) k, (String) v);
            }
        });
    }
}
