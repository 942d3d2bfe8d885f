package io.trunkgate.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Set;

import io.trunkgate.config.Settings;
import io.trunkgate.routing.AddressRange;
import io.trunkgate.routing.RemoteHost;
import io.trunkgate.routing.RouteDecision;
import io.trunkgate.routing.Router;
import io.trunkgate.routing.RoutingBeans;
import io.trunkgate.routing.RoutingConfig;
import io.trunkgate.sip.SipUriParser;
import io.trunkgate.sip.SipUriParts;

/**
 * {@code route [--config DIR] [--source IP] [--outbound] URI}: the routing decision for a Request-URI, as one JSON
 * object on stdout (warnings go to stderr). Exit 0 routed, 1 refused (403, 404, 503), 2 bad arguments or config.
 * Without --source the inbound source check (TLS-7) is skipped; without --config, trunkgate.config.dir is read.
 */
final class RouteCommand implements CliCommand {

    @Override
    public String usage() {
        return "route [--config DIR] [--source IP] [--outbound] URI   print the routing decision as JSON";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        CliArgs a = CliArgs.parse(args, Set.of("--config", "--source"), Set.of("--outbound"));
        Path dir = a.value("--config").map(Path::of).orElse(null);
        InetAddress source = a.value("--source").map(RouteCommand::address).orElse(null);
        boolean outbound = a.flag("--outbound");
        if (a.positional().size() > 1) {
            throw new UsageException("one URI only (quote a URI that holds ';')");
        }
        String uri = a.onlyPositional("the Request-URI");
        if (outbound && source != null) {
            throw new UsageException("--source is for inbound requests (TLS-7): leave it out with --outbound");
        }
        SipUriParts parts;
        try {
            parts = SipUriParser.parse(uri);
        } catch (ParseException e) {
            throw new UsageException(e.getMessage());
        }
        RoutingConfig config = dir != null ? RoutingConfig.load(dir)
                : RoutingConfig.load(Settings.standalone(null));
        config.warnings().forEach(w -> err.println("warning: " + w));
        for (String w : parts.warnings()) {
            err.println("warning: " + uri + ": " + w);
        }
        Router router = new Router(config, RoutingBeans.srvResolver(Settings.standalone(null)));
        RouteDecision d = outbound ? router.outbound(parts, null) : router.inbound(parts, source);
        out.println(json(d));
        return d.routed() ? EXIT_OK : EXIT_NEGATIVE;
    }

    static String json(RouteDecision d) {
        StringBuilder b = new StringBuilder("{\"direction\": ").append(q(d.direction().word()));
        if (!d.routed()) {
            return b.append(", \"status\": ").append(d.status()).append(", \"reason\": ").append(q(d.reason()))
                    .append('}').toString();
        }
        b.append(", \"trunk\": ").append(q(d.trunk().id()))
                .append(", \"method\": ").append(q(d.method()))
                .append(", \"target\": ").append(q(d.nextHop()))
                .append(", \"requestUri\": ").append(q(d.requestUri()));
        if (!d.hosts().isEmpty()) {
            b.append(", \"certName\": ").append(q(d.hosts().get(0).certName())).append(", \"hosts\": [");
            for (int i = 0; i < d.hosts().size(); i++) {
                RemoteHost h = d.hosts().get(i);
                b.append(i == 0 ? "" : ", ").append(q(h.host() + ":" + h.port()));
            }
            b.append(']');
        }
        return b.append('}').toString();
    }

    private static String q(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** An address literal only: a name would need DNS and the check is about addresses (TLS-7). */
    private static InetAddress address(String text) {
        try {
            return AddressRange.literal(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--source must be an IP address, not '" + text + "'");
        }
    }
}
