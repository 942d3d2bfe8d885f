package io.trunkgate.observe;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** A second instance on one host with the same management port stops at start-up with a message naming the key. */
class ManagementPortTakenTest {

    @Test
    void aTakenManagementPortIsAConfigErrorNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Map<String, String> keys = Map.of("trunkgate.management.port", String.valueOf(taken.getLocalPort()));
            Settings settings = new Settings(k -> Optional.ofNullable(keys.get(k)));
            try (DefaultCamelContext context = new DefaultCamelContext()) {
                ConfigException e = assertThrows(ConfigException.class, () -> Management.addServer(context, settings));
                assertTrue(e.getMessage().startsWith("trunkgate.management.port cannot listen on 127.0.0.1:"
                        + taken.getLocalPort()), e.getMessage());
            }
        }
    }
}
