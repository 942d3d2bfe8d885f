package io.trunkgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import io.trunkgate.sip.SipUriProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up: the routing beans are bound from trunkgate.config.dir, and a bad file stops start-up. */
class RoutingBeansTest {

    @TempDir
    Path dir;

    private Settings settings() {
        Map<String, String> values = Map.of("trunkgate.config.dir", dir.toString());
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void bindsSipUriTrunkRouteAndRouter() {
        RoutingFixtures.write(dir, RoutingFixtures.TRUNKS, RoutingFixtures.REGIONS);
        CamelContext camel = new DefaultCamelContext();
        Router router = RoutingBeans.bind(camel, settings());
        assertTrue(camel.getRegistry().lookupByName("sipUri") instanceof SipUriProcessor);
        TrunkRouteProcessor trunkRoute = (TrunkRouteProcessor) camel.getRegistry().lookupByName("trunkRoute");
        assertNotNull(trunkRoute);
        assertTrue(trunkRoute.router() == router && camel.getRegistry().lookupByName("router") == router);
    }

    @Test
    void cert6BadConfigStopsStartUp() {
        RoutingFixtures.write(dir, RoutingFixtures.TRUNKS.replace("sbc2.beta.example", "127.0.0.2"),
                RoutingFixtures.REGIONS);
        ConfigException e = assertThrows(ConfigException.class,
                () -> RoutingBeans.bind(new DefaultCamelContext(), settings()));
        assertTrue(e.getMessage().contains("trunks[1].remote.hosts[1]") && e.getMessage().contains("CERT-6"),
                e.getMessage());
    }

    @Test
    void dnsServersAreAddressesWithOptionalPorts() {
        Settings given = new Settings(key -> Optional.of("127.0.0.1:5353, 192.0.2.53, [::1]:54").filter(
                v -> key.equals("trunkgate.dns.servers")));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("192.0.2.53", 53),
                new InetSocketAddress("::1", 54)), given.getAddresses("trunkgate.dns.servers", 53));
        assertEquals(List.of(), Settings.shipped().getAddresses("trunkgate.dns.servers", 53), "default: the system's");
        for (String bad : List.of("dns.example.com", "127.0.0.1:0", "127.0.0.1:x", "[::1", "::1]:53")) {
            Settings s = new Settings(key -> Optional.of(bad));
            ConfigException e = assertThrows(ConfigException.class, () -> s.getAddresses("trunkgate.dns.servers", 53), bad);
            assertTrue(e.getMessage().contains("trunkgate.dns.servers"), e.getMessage());
        }
    }
}
