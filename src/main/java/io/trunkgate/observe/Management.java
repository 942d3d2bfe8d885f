package io.trunkgate.observe;

import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.TrunkgateService;
import io.trunkgate.routing.Router;
import io.trunkgate.routing.Trunk;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.console.DefaultDevConsoleRegistry;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port and what it serves (docs/operations.md), built from Camel's own parts since
 * camel-platform-http-main is not served at 4.22.0: a Vert.x platform-http server of its own port added as a Camel
 * service as camel-main does it ({@link #addServer}), whose endpoints are the routes of routes/management.yaml; the
 * health checks (every bean of type {@link HealthCheck} in the registry, plus one per trunk) registered with Camel's
 * health registry at start; the {@code trunkgate} dev console beside Camel's own; and the Micrometer registry
 * ({@link #meterRegistry}). An application that runs its own platform-http server or binds its own MeterRegistry
 * keeps it: trunkgate's routes, checks and meters join it.
 */
public class Management extends TrunkgateService {

    private static final Logger LOG = LoggerFactory.getLogger(Management.class);
    /** The bean name of the Micrometer registry trunkgate binds when the application bound none. */
    public static final String METER_REGISTRY = "meterRegistry";

    private final Settings settings;

    public Management(Settings settings) {
        this.settings = settings;
    }

    /**
     * With {@code trunkgate.management.enabled}, a Vert.x HTTP server on {@code trunkgate.management.host:port} for the
     * platform-http routes, unless the application added its own platform-http server (it serves them then).
     */
    public static void addServer(CamelContext context, Settings settings) {
        if (!settings.getBoolean("trunkgate.management.enabled")) {
            return;
        }
        if (context.hasService(VertxPlatformHttpServer.class) != null
                || context.getRegistry().lookupByName(VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME) != null) {
            LOG.info("the application runs its own platform-http server: the management routes are served there");
            return;
        }
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost(settings.get("trunkgate.management.host"));
        conf.setBindPort(settings.getPort("trunkgate.management.port"));
        // Vert.x binds later, on its own loop, and only logs a failure there: a port taken (a second instance on
        // one host) is found here instead, so `run` stops with a message naming the key
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(conf.getBindHost(), conf.getBindPort()));
        } catch (java.io.IOException e) {
            throw new io.trunkgate.config.ConfigException("trunkgate.management.port", "cannot listen on "
                    + conf.getBindHost() + ":" + conf.getBindPort() + " (" + e.getMessage() + "): another process"
                    + " (another instance?) holds it; give each instance its own port, or trunkgate.management.enabled=false");
        }
        try {
            context.addService(new VertxPlatformHttpServer(conf), true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the management server (trunkgate.management.*): " + e.getMessage(), e);
        }
    }

    /** Binds a Prometheus registry under {@value #METER_REGISTRY} when the application bound no MeterRegistry. */
    public static void bindMeterRegistry(CamelContext context) {
        if (context.getRegistry().findByType(MeterRegistry.class).isEmpty()
                && context.getRegistry().lookupByName(METER_REGISTRY) == null) {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(prometheus);
            new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(prometheus);
            new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(prometheus);
            context.getRegistry().bind(METER_REGISTRY, prometheus);
        }
    }

    /** The registry trunkgate's meters go to: {@value #METER_REGISTRY}, else the application's only one. */
    public static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry named = context.getRegistry().lookupByNameAndType(METER_REGISTRY, MeterRegistry.class);
        if (named != null) {
            return named;
        }
        Set<MeterRegistry> all = context.getRegistry().findByType(MeterRegistry.class);
        if (all.isEmpty()) {
            throw new IllegalStateException("no Micrometer MeterRegistry bound (TrunkgateConfiguration binds one)");
        }
        return all.iterator().next();
    }

    /** The Prometheus registry the metrics route scrapes: the one bound, or one inside a composite. */
    static Optional<PrometheusMeterRegistry> prometheus(CamelContext context) {
        for (MeterRegistry r : context.getRegistry().findByType(MeterRegistry.class)) {
            if (r instanceof PrometheusMeterRegistry p) {
                return Optional.of(p);
            }
            if (r instanceof CompositeMeterRegistry c) {
                for (MeterRegistry inner : c.getRegistries()) {
                    if (inner instanceof PrometheusMeterRegistry p) {
                        return Optional.of(p);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Camel's health registry, made when camel-main did not make one. */
    static HealthCheckRegistry healthRegistry(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            DefaultHealthCheckRegistry made = new DefaultHealthCheckRegistry(context);
            context.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, made);
            registry = made;
        }
        return registry;
    }

    /** Camel's dev console registry, made when camel-main did not make one. */
    static DevConsoleRegistry consoleRegistry(CamelContext context) {
        DevConsoleRegistry registry = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class);
        if (registry == null) {
            DefaultDevConsoleRegistry made = new DefaultDevConsoleRegistry(context);
            context.getCamelContextExtension().addContextPlugin(DevConsoleRegistry.class, made);
            registry = made;
        }
        return registry;
    }

    @Override
    protected void doStart() throws Exception {
        CamelContext context = getCamelContext();
        HealthCheckRegistry health = healthRegistry(context);
        ServiceHelper.startService(health);
        for (String id : new String[] {"context", "routes", "consumers"}) {
            Object builtIn = health.resolveById(id); // Camel's own: the context (liveness) and every route (readiness)
            if (builtIn != null && health.getCheck(id).isEmpty()) {
                health.register(builtIn);
            }
        }
        for (TrunkgateCheck check : new TrunkgateCheck[] {new ListenersCheck(), new CertificateCheck(settings),
            new CrlCheck(settings), new MediaPortsCheck()}) {
            check.setCamelContext(context);
            if (health.getCheck(check.getId()).isEmpty()) {
                health.register(check);
            }
        }
        for (HealthCheck check : context.getRegistry().findByType(HealthCheck.class)) {
            if (health.getCheck(check.getId()).isEmpty()) {
                health.register(check); // trunkgate's and any other service's checks bound as beans (HA, ...)
            }
        }
        Router router = context.getRegistry().lookupByNameAndType(io.trunkgate.flow.TrunkgateBeans.ROUTER, Router.class);
        if (router != null) {
            for (Trunk trunk : router.config().trunks()) {
                TrunkHostsCheck check = new TrunkHostsCheck(trunk.id());
                check.setCamelContext(context);
                if (health.getCheck(check.getId()).isEmpty()) {
                    health.register(check);
                }
            }
        }
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        if (server != null && settings.getBoolean("trunkgate.management.enabled")) {
            LOG.info("management port on http://{}:{}: /observe/health (/live, /ready), /observe/metrics, /observe/dev/<id>",
                    server.getHost(), server.getPort());
        }
        DevConsoleRegistry consoles = consoleRegistry(context);
        ServiceHelper.startService(consoles);
        if (consoles.getConsole(TrunkgateConsole.ID).isEmpty()) {
            TrunkgateConsole console = new TrunkgateConsole();
            console.setCamelContext(context);
            consoles.register(console);
        }
    }
}
