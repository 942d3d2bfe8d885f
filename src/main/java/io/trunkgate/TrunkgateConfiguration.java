package io.trunkgate;

import static io.trunkgate.flow.TrunkgateBeans.ADMISSION;
import static io.trunkgate.flow.TrunkgateBeans.CALL_ADMISSION;
import static io.trunkgate.flow.TrunkgateBeans.CALL_STATE;
import static io.trunkgate.flow.TrunkgateBeans.HA_HEALTH_CHECK;
import static io.trunkgate.flow.TrunkgateBeans.HA_ROUTE_POLICY;
import static io.trunkgate.flow.TrunkgateBeans.HA_SERVICE;
import static io.trunkgate.flow.TrunkgateBeans.CDR_JSON;
import static io.trunkgate.flow.TrunkgateBeans.DEV_CONSOLE;
import static io.trunkgate.flow.TrunkgateBeans.FLOW_EVENTS;
import static io.trunkgate.flow.TrunkgateBeans.HEALTH_REPORT;
import static io.trunkgate.flow.TrunkgateBeans.MANAGEMENT;
import static io.trunkgate.flow.TrunkgateBeans.METRICS_SCRAPE;
import static io.trunkgate.flow.TrunkgateBeans.HOST_LIVENESS;
import static io.trunkgate.flow.TrunkgateBeans.INBOUND_CONNECTION;
import static io.trunkgate.flow.TrunkgateBeans.MEDIA_RELAY;
import static io.trunkgate.flow.TrunkgateBeans.OPTIONS_PROBER;
import static io.trunkgate.flow.TrunkgateBeans.PROXY_CORE;
import static io.trunkgate.flow.TrunkgateBeans.REFUSALS;
import static io.trunkgate.flow.TrunkgateBeans.RESPONSE_MATCH;
import static io.trunkgate.flow.TrunkgateBeans.ROUTER;
import static io.trunkgate.flow.TrunkgateBeans.SIP_CHECK;
import static io.trunkgate.flow.TrunkgateBeans.SIP_FAILURE;
import static io.trunkgate.flow.TrunkgateBeans.SIP_FORWARD;
import static io.trunkgate.flow.TrunkgateBeans.SIP_OPTIONS;
import static io.trunkgate.flow.TrunkgateBeans.SIP_PARSE;
import static io.trunkgate.flow.TrunkgateBeans.SIP_ROUTE_SET;
import static io.trunkgate.flow.TrunkgateBeans.SIP_TRACE;
import static io.trunkgate.flow.TrunkgateBeans.SIP_SERVER_PIPELINE;
import static io.trunkgate.flow.TrunkgateBeans.SIP_STREAM_FRAMING;
import static io.trunkgate.flow.TrunkgateBeans.SIP_TRANSACTION;
import static io.trunkgate.flow.TrunkgateBeans.SOURCE_LIMIT;
import static io.trunkgate.flow.TrunkgateBeans.SRTP_BRIDGE;
import static io.trunkgate.flow.TrunkgateBeans.TRUNK_CONNECTIONS;
import static io.trunkgate.flow.TrunkgateBeans.TRUNK_TLS;
import static io.trunkgate.flow.TrunkgateBeans.UDP_SOCKETS;
import static io.trunkgate.flow.TrunkgateBeans.bindDefault;

import java.security.SecureRandom;

import io.trunkgate.admission.AdmissionProcessor;
import io.trunkgate.admission.AdmissionSettings;
import io.trunkgate.admission.CallAdmission;
import io.trunkgate.admission.SourceLimitProcessor;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.BeanRef;
import io.trunkgate.flow.FlowEvents;
import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.ha.CallStateProcessor;
import io.trunkgate.ha.HaHealthCheck;
import io.trunkgate.ha.HaRoutePolicy;
import io.trunkgate.ha.HaService;
import io.trunkgate.ha.HaSettings;
import io.trunkgate.limits.RefusalLog;
import io.trunkgate.media.SrtpBridgeProcessor;
import io.trunkgate.observe.CdrJsonProcessor;
import io.trunkgate.observe.DevConsoles;
import io.trunkgate.observe.FlowObserver;
import io.trunkgate.observe.HealthReport;
import io.trunkgate.observe.Management;
import io.trunkgate.observe.MetricsScrape;
import io.trunkgate.observe.SipTraceProcessor;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.media.relay.MediaSettings;
import io.trunkgate.proxy.Egress;
import io.trunkgate.proxy.ForwardProcessor;
import io.trunkgate.proxy.OptionsProber;
import io.trunkgate.proxy.ProxyConfig;
import io.trunkgate.proxy.ProxyCore;
import io.trunkgate.proxy.ResponseMatchProcessor;
import io.trunkgate.proxy.RouteSetProcessor;
import io.trunkgate.proxy.SipTransactionProcessor;
import io.trunkgate.routing.HostLiveness;
import io.trunkgate.routing.Router;
import io.trunkgate.routing.RoutingBeans;
import io.trunkgate.sip.LocalTarget;
import io.trunkgate.sip.OptionsProcessor;
import io.trunkgate.sip.SipCheckProcessor;
import io.trunkgate.sip.SipFailureProcessor;
import io.trunkgate.sip.SipParseProcessor;
import io.trunkgate.tls.ReadinessLog;
import io.trunkgate.tls.TrunkTls;
import io.trunkgate.transport.CallFlowQueue;
import io.trunkgate.transport.InboundConnectionProcessor;
import io.trunkgate.transport.SipServerInitializer;
import io.trunkgate.transport.SipStreamFraming;
import io.trunkgate.transport.TrunkConnections;
import io.trunkgate.transport.UdpSockets;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Binds trunkgate's beans into a Camel context under the names of {@link TrunkgateBeans} (the names the routes and
 * the services use). Used by {@code run} through camel-main, and by an application that embeds trunkgate
 * ({@code camel.main.configuration-classes=io.trunkgate.TrunkgateConfiguration}).
 * <p>
 * A name already bound (by the embedding application, another configuration class, or later by a YAML
 * {@code beans:} block) keeps its bean: trunkgate's default is bound only for a free name, and no default holds
 * another directly: each refers to its dependencies by name ({@link BeanRef}), resolved once every binding is done.
 * The services bound under {@link TrunkgateBeans#SERVICES} are started and stopped with the context.
 */
public class TrunkgateConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        addDefaults(context.getPropertiesComponent());
        Settings settings = Settings.of(context);

        Management.bindMeterRegistry(context); // unless the application bound a MeterRegistry of its own
        Management.addServer(context, settings); // the management port, unless the application runs a platform-http server
        bindDefault(context, FLOW_EVENTS, () -> new FlowObserver(settings));
        BeanRef<FlowEvents> events = ref(context, FLOW_EVENTS, FlowEvents.class);
        bindDefault(context, REFUSALS, () -> new RefusalLog(settings.getDuration("trunkgate.limits.log-interval")));
        bindDefault(context, TRUNK_TLS, () -> TrunkTls.create(settings, context));
        bindDefault(context, UDP_SOCKETS, UdpSockets::new);
        bindDefault(context, SIP_SERVER_PIPELINE, () -> new SipServerInitializer(ref(context, UDP_SOCKETS, UdpSockets.class),
                settings, ref(context, REFUSALS, RefusalLog.class)).events(events));
        bindDefault(context, SIP_STREAM_FRAMING, () -> new SipStreamFraming(settings, ref(context, REFUSALS, RefusalLog.class)));
        bindDefault(context, TRUNK_CONNECTIONS, () -> new TrunkConnections(ref(context, TRUNK_TLS, TrunkTls.class), settings)
                .events(events));
        RoutingBeans.bind(context, settings); // router, sipUri, trunkRoute; trunks.yaml + regions.yaml checked here
        bindDefault(context, PROXY_CORE, () -> new ProxyCore(ProxyConfig.from(settings),
                new Egress(ref(context, TRUNK_CONNECTIONS, TrunkConnections.class), ref(context, UDP_SOCKETS, UdpSockets.class),
                        settings.getPort("trunkgate.inside.port"))).events(events));
        bindDefault(context, OPTIONS_PROBER, () -> OptionsProber.from(settings, ref(context, PROXY_CORE, ProxyCore.class),
                ref(context, ROUTER, Router.class), ref(context, HOST_LIVENESS, HostLiveness.class)));
        bindDefault(context, MEDIA_RELAY, () -> new MediaRelayService(MediaSettings.from(settings)));
        bindDefault(context, CALL_ADMISSION, () -> new CallAdmission(AdmissionSettings.from(settings),
                ref(context, ROUTER, Router.class), ref(context, PROXY_CORE, ProxyCore.class),
                ref(context, MEDIA_RELAY, MediaRelayService.class)));

        BeanRef<ProxyCore> proxy = ref(context, PROXY_CORE, ProxyCore.class);
        BeanRef<Router> router = ref(context, ROUTER, Router.class);
        BeanRef<RefusalLog> refusals = ref(context, REFUSALS, RefusalLog.class);
        CallFlowQueue.install(context, settings, refusals); // the inside UDP listener's queue, bounded
        bindDefault(context, INBOUND_CONNECTION, InboundConnectionProcessor::new);
        bindDefault(context, SOURCE_LIMIT, () -> SourceLimitProcessor.from(settings, router, refusals));
        bindDefault(context, SIP_TRACE, () -> new SipTraceProcessor(events));
        bindDefault(context, SIP_PARSE, () -> new SipParseProcessor(LocalTarget.from(settings), refusals, events));
        bindDefault(context, SIP_OPTIONS, () -> new OptionsProcessor(refusals));
        bindDefault(context, RESPONSE_MATCH, () -> new ResponseMatchProcessor(proxy));
        bindDefault(context, SIP_TRANSACTION, () -> new SipTransactionProcessor(proxy));
        bindDefault(context, SIP_CHECK, () -> new SipCheckProcessor(refusals));
        bindDefault(context, SIP_ROUTE_SET, () -> new RouteSetProcessor(proxy));
        bindDefault(context, ADMISSION, () -> new AdmissionProcessor(ref(context, CALL_ADMISSION, CallAdmission.class), refusals));
        bindDefault(context, SRTP_BRIDGE, () -> new SrtpBridgeProcessor(ref(context, MEDIA_RELAY, MediaRelayService.class),
                trunk -> router.get().config().trunk(trunk).map(t -> t.srtp()), new SecureRandom(), refusals, // SRTP-2
                listener -> proxy.get().onCallEnd(listener))); // calls the proxy ends itself release their media at once
        // HA (issue #18): the lease and the call state in Redis; with trunkgate.ha.enabled=false each of these is inert
        BeanRef<HaService> ha = ref(context, HA_SERVICE, HaService.class);
        BeanRef<SrtpBridgeProcessor> bridge = ref(context, SRTP_BRIDGE, SrtpBridgeProcessor.class);
        bindDefault(context, HA_SERVICE, () -> new HaService(HaSettings.from(settings), bridge,
                ref(context, MEDIA_RELAY, MediaRelayService.class)));
        bindDefault(context, HA_ROUTE_POLICY, () -> new HaRoutePolicy(ha));
        bindDefault(context, HA_HEALTH_CHECK, () -> new HaHealthCheck(ha));
        bindDefault(context, CALL_STATE, () -> new CallStateProcessor(ha, bridge));
        bindDefault(context, SIP_FORWARD, () -> new ForwardProcessor(proxy, router, events));
        bindDefault(context, SIP_FAILURE, () -> new SipFailureProcessor(refusals));
        bindDefault(context, MANAGEMENT, () -> new Management(settings));
        bindDefault(context, HEALTH_REPORT, HealthReport::new);
        bindDefault(context, METRICS_SCRAPE, MetricsScrape::new);
        bindDefault(context, DEV_CONSOLE, DevConsoles::new);
        bindDefault(context, CDR_JSON, CdrJsonProcessor::new);

        context.addService(new TrunkgateServices(context), true, true);
        context.getManagementStrategy().addEventNotifier(new ReadinessLog());
    }

    private static <T> BeanRef<T> ref(CamelContext context, String name, Class<T> type) {
        return TrunkgateBeans.ref(context, name, type);
    }

    /** The shipped trunkgate.* defaults, at the lowest precedence, for keys nobody set. */
    public static void addDefaults(PropertiesComponent pc) {
        Settings.defaults().forEach((k, v) -> {
            if (pc.resolveProperty((String) k).isEmpty()) {
                pc.addInitialProperty((String) k, (String) v);
            }
        });
    }
}
