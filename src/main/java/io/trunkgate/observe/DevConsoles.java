package io.trunkgate.observe;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.util.json.JsonObject;

/**
 * The step {@code devConsole} of routes/management.yaml: one of Camel's dev consoles by the header {@code id}
 * ({@code trunkgate}, or Camel's own: {@code health}, {@code health}, {@code jvm}, ...), as text, or as JSON when
 * asked ({@code ?format=json} or {@code Accept: application/json}); 404 for an unknown id.
 */
public class DevConsoles implements Processor {

    @Override
    public void process(Exchange exchange) {
        String id = exchange.getIn().getHeader("id", String.class);
        DevConsoleRegistry registry = Management.consoleRegistry(exchange.getContext());
        DevConsole console = id == null ? null : registry.getConsole(id).orElse(null);
        if (console == null && id != null) {
            console = registry.resolveById(id); // one of Camel's, made on first use
            if (console != null) {
                org.apache.camel.CamelContextAware.trySetCamelContext(console, exchange.getContext());
                registry.register(console);
            }
        }
        if (console == null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain");
            exchange.getMessage().setBody("no dev console " + id + "\n");
            return;
        }
        String format = exchange.getIn().getHeader("format", String.class);
        String accept = exchange.getIn().getHeader("Accept", String.class);
        boolean json = "json".equalsIgnoreCase(format) || format == null && accept != null && accept.contains("json");
        Object out = console.call(json ? DevConsole.MediaType.JSON : DevConsole.MediaType.TEXT, Map.of());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, json ? "application/json" : "text/plain; charset=utf-8");
        exchange.getMessage().setBody(out instanceof JsonObject o ? o.toJson() : String.valueOf(out));
    }
}
