package io.trunkgate.observe;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * The step {@code healthReport} of routes/management.yaml: Camel's health checks (trunkgate's among them) as JSON,
 * {@code {"status": "UP", "checks": [{"name", "status", "message", "details"}]}}, with HTTP 503 when DOWN (what a
 * load balancer or a Kubernetes probe reads). The header {@value #KIND} picks {@code all}, {@code live}
 * (liveness checks) or {@code ready} (readiness checks).
 */
public class HealthReport implements Processor {

    /** Header: all, live or ready. */
    public static final String KIND = "TrunkgateHealth";

    @Override
    public void process(Exchange exchange) {
        String kind = exchange.getIn().getHeader(KIND, "all", String.class);
        Management.healthRegistry(exchange.getContext()); // made when camel-main did not
        Collection<HealthCheck.Result> results = switch (kind) {
            // exposure level full: every check with its details, not only those DOWN
            case "live" -> HealthCheckHelper.invokeLiveness(exchange.getContext(), "full");
            case "ready" -> HealthCheckHelper.invokeReadiness(exchange.getContext(), "full");
            default -> HealthCheckHelper.invoke(exchange.getContext(), "full");
        };
        boolean up = true;
        JsonArray checks = new JsonArray();
        List<HealthCheck.Result> sorted = results.stream().sorted(Comparator.comparing(r -> r.getCheck().getId())).toList();
        for (HealthCheck.Result r : sorted) {
            up &= r.getState() != HealthCheck.State.DOWN;
            JsonObject check = new JsonObject();
            check.put("name", r.getCheck().getId());
            check.put("status", r.getState().name());
            r.getMessage().ifPresent(m -> check.put("message", m));
            r.getError().ifPresent(e -> check.put("error", e.toString()));
            JsonObject details = new JsonObject();
            for (Map.Entry<String, Object> d : r.getDetails().entrySet()) {
                if (!d.getKey().startsWith("invocation.") && !d.getKey().startsWith("failure.")
                        && !d.getKey().startsWith("success.")) {
                    Object v = d.getValue();
                    details.put(d.getKey(), v instanceof Number || v instanceof Boolean || v instanceof String ? v : String.valueOf(v));
                }
            }
            if (!details.isEmpty()) {
                check.put("details", details);
            }
            checks.add(check);
        }
        JsonObject body = new JsonObject();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        exchange.getMessage().setBody(body.toJson());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
    }
}
