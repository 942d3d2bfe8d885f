package io.trunkgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.trunkgate.config.Settings;
import io.trunkgate.peers.Dnsmasq;
import org.junit.jupiter.api.Test;

/**
 * SRV lookups (ROUTE-4) from the DNS server named by trunkgate.dns.servers: a real dnsmasq serving two priorities,
 * weights and ports; the records come back as served, and the routing of a trunk with remote.srv orders them by
 * priority (RFC 2782) with the SRV targets as the names to check (CERT-12).
 */
class DnsSrvResolverTest {

    @Test
    void route4_srv_records_come_from_the_configured_dns_server() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start(List.of(
                new Dnsmasq.Srv("_sips._tcp.edge.test", "gw1.edge.test", 5061, 10, 60),
                new Dnsmasq.Srv("_sips._tcp.edge.test", "gw2.edge.test", 5062, 10, 40),
                new Dnsmasq.Srv("_sips._tcp.edge.test", "backup.edge.test", 5061, 20, 0)),
                List.of(new Dnsmasq.A("gw1.edge.test", "127.0.0.2")))) {
            Settings settings = new Settings(key -> Optional.ofNullable(
                    Map.of("trunkgate.dns.servers", dns.server()).get(key)));
            SrvResolver resolver = RoutingBeans.srvResolver(settings);

            List<SrvResolver.SrvRecord> records = resolver.lookup("_sips._tcp.edge.test").stream()
                    .sorted(Comparator.comparing(SrvResolver.SrvRecord::target)).toList();
            assertEquals(List.of(new SrvResolver.SrvRecord(20, 0, 5061, "backup.edge.test"),
                    new SrvResolver.SrvRecord(10, 60, 5061, "gw1.edge.test"),
                    new SrvResolver.SrvRecord(10, 40, 5062, "gw2.edge.test")), records, dns.log());
            assertEquals(List.of(), resolver.lookup("_sips._tcp.nothing.test"), "no records: none, not an error");

            // priority 10 first, spread by weight; priority 20 last (RFC 2782)
            List<RemoteHost> order = HostSelector.srvPlan(resolver.lookup("_sips._tcp.edge.test"), 0);
            assertEquals("backup.edge.test", order.get(2).host());
            assertEquals(List.of("gw1.edge.test", "gw2.edge.test"),
                    order.subList(0, 2).stream().map(RemoteHost::host).sorted().toList());
        }
    }
}
