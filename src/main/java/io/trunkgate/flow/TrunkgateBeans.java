package io.trunkgate.flow;

import java.util.List;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.NoSuchBeanException;

/**
 * The registry contract: the bean names the shipped routes and trunkgate's own services use. An application replaces
 * any of them by binding its own bean under the name (before or after {@code TrunkgateConfiguration} runs, or in a
 * YAML {@code beans:} block); trunkgate binds its default only for a name left free, and every dependency between
 * them is looked up by name when the context starts (services) or at the first message (steps), so a replacement
 * reaches every user of the name, not only the routes.
 */
public final class TrunkgateBeans {

    // ---------------------------------------------------------------- steps, named by routes/*.yaml

    /** {@code org.apache.camel.Processor}: the connection headers of a listener's message (listeners.yaml). */
    public static final String INBOUND_CONNECTION = "inboundConnection";
    /** The per-source request-rate limit (Kamailio's pike), before sipParse: a flooding source's requests dropped. */
    public static final String SOURCE_LIMIT = "sourceLimit";
    public static final String SIP_PARSE = "sipParse";
    public static final String RESPONSE_MATCH = "responseMatch";
    public static final String SIP_OPTIONS = "sipOptions";
    public static final String SIP_TRANSACTION = "sipTransaction";
    /** RFC 3261 16.3 checks of a request the gateway routes: 416, 420 (Proxy-Require), 405/501 + Allow, 400. */
    public static final String SIP_CHECK = "sipCheck";
    public static final String SIP_ROUTE_SET = "sipRouteSet";
    public static final String SIP_URI = "sipUri";
    public static final String TRUNK_ROUTE = "trunkRoute";
    /** New calls (and OPTIONS while draining): drain, overload, call limits -> 503 with Retry-After. */
    public static final String ADMISSION = "admission";
    public static final String SRTP_BRIDGE = "srtpBridge";
    /** After srtpBridge: tells the HA call store what changed in a call (issue #18); nothing with HA off. */
    public static final String CALL_STATE = "callState";
    public static final String SIP_FORWARD = "sipForward";
    /** The first step of direct:sip-in: every message received told to {@code flowEvents} (metrics, HEP). */
    public static final String SIP_TRACE = "sipTrace";
    /** The onException step of routeConfiguration {@code sip-failures}: 500 for a request a step failed on. */
    public static final String SIP_FAILURE = "sipFailure";

    // ---------------------------------------------------------------- listener parts, named by listeners.yaml

    /** {@code io.trunkgate.tls.TrunkTls}: key material, trust and TLS profile; also the client role's (TLS-7). */
    public static final String TRUNK_TLS = "trunkTls";
    /** {@code org.apache.camel.component.netty.ServerInitializerFactory}: the listeners' Netty pipeline. */
    public static final String SIP_SERVER_PIPELINE = "sipServerPipeline";
    /** {@code org.apache.camel.component.netty.ChannelHandlerFactory}: SIP stream framing (RFC 3261 18.3). */
    public static final String SIP_STREAM_FRAMING = "sipStreamFraming";

    // ---------------------------------------------------------------- shared services

    /** {@code io.trunkgate.transport.UdpSockets}: the UDP listeners' sockets, to send from. */
    public static final String UDP_SOCKETS = "udpSockets";
    /** {@code io.trunkgate.transport.TrunkConnections}: outbound TLS (and inside TCP) connections. */
    public static final String TRUNK_CONNECTIONS = "trunkConnections";
    /** {@code io.trunkgate.routing.Router}: trunks.yaml and regions.yaml, the routing decisions. */
    public static final String ROUTER = "router";
    /** {@code io.trunkgate.routing.HostLiveness}: UP/DOWN of every remote host as probed (ROUTE-5); read it for health. */
    public static final String HOST_LIVENESS = "hostLiveness";
    /** {@code io.trunkgate.proxy.OptionsProber} (service): OPTIONS to every remote host of every trunk. */
    public static final String OPTIONS_PROBER = "optionsProber";
    /** {@code io.trunkgate.limits.RefusalLog} (service): every refusal of a limit counted, one summary line per interval. */
    public static final String REFUSALS = "refusals";
    /** {@code io.trunkgate.admission.CallAdmission} (service): calls counted from INVITE to end, limits, drain. */
    public static final String CALL_ADMISSION = "callAdmission";
    /** {@code io.trunkgate.proxy.ProxyCore}: transactions, dialogs, timers (RFC 3261 16, 17). */
    public static final String PROXY_CORE = "proxyCore";
    /** {@code io.trunkgate.media.relay.MediaRelayService}: the RTP/SRTP relay. */
    public static final String MEDIA_RELAY = "mediaRelay";
    /** {@code io.trunkgate.ha.HaService} (service): the active/standby lease and the call state in Redis (issue #18). */
    public static final String HA_SERVICE = "haService";
    /** {@code org.apache.camel.spi.RoutePolicy}: the listener routes start only on the active instance (listeners.yaml). */
    public static final String HA_ROUTE_POLICY = "haRoutePolicy";
    /** {@code org.apache.camel.health.HealthCheck}: "HA degraded" while Redis does not answer. */
    public static final String HA_HEALTH_CHECK = "haHealthCheck";

    // ---------------------------------------------------------------- operations (docs/operations.md)

    /** {@link FlowEvents} (service): what the call flow tells operations: meters, HEP traces, call detail records. */
    public static final String FLOW_EVENTS = "flowEvents";
    /** {@code io.trunkgate.observe.Management} (service): health checks and dev consoles registered at start. */
    public static final String MANAGEMENT = "management";
    /** The steps of routes/management.yaml: health as JSON, the Prometheus scrape, the dev consoles. */
    public static final String HEALTH_REPORT = "healthReport";
    public static final String METRICS_SCRAPE = "metricsScrape";
    public static final String DEV_CONSOLE = "devConsole";
    /** The step of routes/cdr.yaml that turns a call detail record into its JSON line. */
    public static final String CDR_JSON = "cdrJson";

    /**
     * The names whose beans are Camel services: whatever is bound under them when the context starts is started then,
     * in this order, and stopped with the context in reverse (threads, sockets and timers live only in between).
     */
    public static final List<String> SERVICES = List.of(REFUSALS, TRUNK_TLS, TRUNK_CONNECTIONS, PROXY_CORE, OPTIONS_PROBER,
            MEDIA_RELAY, CALL_ADMISSION, FLOW_EVENTS, MANAGEMENT, HA_SERVICE);

    private TrunkgateBeans() {
    }

    /** Binds the bean {@code factory} makes under {@code name}, unless something is bound there already. */
    public static void bindDefault(CamelContext context, String name, Supplier<?> factory) {
        if (context.getRegistry().lookupByName(name) == null) {
            context.getRegistry().bind(name, factory.get());
        }
    }

    /** A dependency on the bean bound under {@code name}, resolved at its first use. */
    public static <T> BeanRef<T> ref(CamelContext context, String name, Class<T> type) {
        return BeanRef.of(context, name, type);
    }

    /** The bean bound under {@code name}; fails naming the name and the type expected. */
    public static <T> T lookup(CamelContext context, String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new NoSuchBeanException(name, type.getName());
        }
        return bean;
    }
}
