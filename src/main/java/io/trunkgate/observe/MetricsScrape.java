package io.trunkgate.observe;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trunkgate.flow.TrunkgateBeans;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The step {@code metricsScrape} of routes/management.yaml: the Prometheus text exposition of the Micrometer
 * registry (trunkgate's meters, and the application's when it is theirs); 404 when no Prometheus registry is bound.
 */
public class MetricsScrape implements Processor {

    @Override
    public void process(Exchange exchange) {
        if (exchange.getContext().getRegistry().lookupByName(TrunkgateBeans.FLOW_EVENTS) instanceof FlowObserver observer) {
            observer.refreshMeters();
        }
        PrometheusMeterRegistry prometheus = Management.prometheus(exchange.getContext()).orElse(null);
        if (prometheus == null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setBody("no Prometheus MeterRegistry is bound\n");
            return;
        }
        exchange.getMessage().setBody(prometheus.scrape());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    }
}
