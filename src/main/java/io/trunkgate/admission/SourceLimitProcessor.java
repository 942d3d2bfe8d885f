package io.trunkgate.admission;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.limits.FloodBlock;
import io.trunkgate.limits.RefusalLog;
import io.trunkgate.routing.AddressRange;
import io.trunkgate.routing.Router;
import io.trunkgate.routing.Trunk;
import io.trunkgate.sip.SipUriParser;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sourceLimit}: a per-source request-rate limit on every listener, as Kamailio's pike: a source that sends
 * more than {@code trunkgate.pike.max-requests} requests in {@code trunkgate.pike.window} is blocked for
 * {@code trunkgate.pike.block} (longer while it keeps flooding), and its requests are dropped unanswered before they
 * are parsed. Responses are never counted. Sources in {@code trunkgate.pike.exempt} are never blocked: by default
 * the PBX ({@code pbx}: the address of every trunk's inside.target), since blocking one's own PBX is the classic
 * mistake. Each block is counted in the refusal log, not logged per request.
 */
public class SourceLimitProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SourceLimitProcessor.class);
    private static final byte[] RESPONSE = {'S', 'I', 'P', '/'};

    private final FloodBlock flood;
    private final List<String> exemptConfig;
    private final Supplier<Router> router;
    private final Supplier<RefusalLog> refusals;
    private volatile List<AddressRange> exempt;

    public SourceLimitProcessor(FloodBlock flood, List<String> exempt, Supplier<Router> router,
            Supplier<RefusalLog> refusals) {
        this.flood = flood;
        this.exemptConfig = List.copyOf(exempt);
        this.router = router;
        this.refusals = refusals;
    }

    /** trunkgate.pike.*; null when trunkgate.pike.max-requests is 0 (no limit). */
    public static SourceLimitProcessor from(Settings settings, Supplier<Router> router, Supplier<RefusalLog> refusals) {
        int max = settings.getInt("trunkgate.pike.max-requests", 0);
        FloodBlock flood = max == 0 ? null : new FloodBlock(max, settings.getDuration("trunkgate.pike.window"),
                settings.getDuration("trunkgate.pike.block"));
        List<String> exempt = settings.getList("trunkgate.pike.exempt");
        for (String e : exempt) {
            if (!e.equalsIgnoreCase("pbx")) {
                try {
                    AddressRange.parse(e);
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException("trunkgate.pike.exempt", "'" + e + "' is neither pbx nor an address or"
                            + " CIDR block: " + ex.getMessage());
                }
            }
        }
        return new SourceLimitProcessor(flood, exempt, router, refusals);
    }

    @Override
    public void process(Exchange exchange) {
        if (flood == null || !(exchange.getIn().getBody() instanceof byte[] bytes) || isResponse(bytes)) {
            return;
        }
        InetSocketAddress from = exchange.getIn().getHeader(TrunkgateConstants.SOURCE_ADDRESS, InetSocketAddress.class);
        if (from == null || from.getAddress() == null || exempt(from.getAddress())) {
            return;
        }
        switch (flood.check(from.getAddress())) {
            case PASS -> {
                return;
            }
            case BLOCKED_NOW -> refusals.get().refused("source blocked: over trunkgate.pike.max-requests",
                    from.getAddress().getHostAddress());
            case BLOCKED -> refusals.get().refused("request dropped: its source is blocked (trunkgate.pike)",
                    from.getAddress().getHostAddress());
        }
        exchange.setRouteStop(true);
    }

    private static boolean isResponse(byte[] message) {
        if (message.length < RESPONSE.length) {
            return false;
        }
        for (int i = 0; i < RESPONSE.length; i++) {
            if (message[i] != RESPONSE[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean exempt(InetAddress source) {
        List<AddressRange> ranges = exempt;
        if (ranges == null) {
            ranges = resolveExempt();
            exempt = ranges;
        }
        for (AddressRange r : ranges) {
            if (r.contains(source)) {
                return true;
            }
        }
        return false;
    }

    /** The exempt list with {@code pbx} replaced by the inside targets' addresses (resolved once). */
    private List<AddressRange> resolveExempt() {
        List<AddressRange> out = new ArrayList<>();
        for (String e : exemptConfig) {
            if (!e.equalsIgnoreCase("pbx")) {
                out.add(AddressRange.parse(e));
                continue;
            }
            for (Trunk t : router.get().config().trunks()) {
                try {
                    String host = SipUriParser.parse(t.insideTarget()).host();
                    for (InetAddress a : InetAddress.getAllByName(host.replace("[", "").replace("]", ""))) {
                        out.add(AddressRange.parse(a.getHostAddress()));
                    }
                } catch (ParseException | UnknownHostException e2) {
                    LOG.warn("trunk {}: the PBX {} cannot be exempted from trunkgate.pike: {}", t.id(),
                            t.insideTarget(), e2.getMessage());
                }
            }
        }
        return out;
    }
}
