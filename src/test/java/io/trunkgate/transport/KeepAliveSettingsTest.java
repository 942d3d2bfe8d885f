package io.trunkgate.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import org.junit.jupiter.api.Test;

/** The keys of connection keep-alive and idle limits, with their defaults and rules. */
class KeepAliveSettingsTest {

    private static KeepAliveSettings of(Map<String, String> keys) {
        return KeepAliveSettings.from(new Settings(k -> Optional.ofNullable(keys.get(k))));
    }

    @Test
    void defaults_and_off() {
        KeepAliveSettings shipped = of(Map.of());
        assertEquals(Optional.of(Duration.ofSeconds(120)), shipped.idle());
        assertEquals(Optional.of(Duration.ofSeconds(30)), shipped.ping());
        assertEquals(Duration.ofSeconds(10), shipped.pongTimeout());
        KeepAliveSettings off = of(Map.of("trunkgate.connection.idle-timeout", "off",
                "trunkgate.connection.keepalive-interval", "off"));
        assertTrue(off.idle().isEmpty() && off.ping().isEmpty());
    }

    @Test
    void an_idle_limit_must_outlast_a_transaction() {
        ConfigException e = assertThrows(ConfigException.class, () -> of(Map.of("trunkgate.connection.idle-timeout", "30s")));
        assertTrue(e.getMessage().contains("64*T1 (32000 ms)"), e.getMessage());
        assertEquals(Optional.of(Duration.ofSeconds(4)), of(Map.of("trunkgate.connection.idle-timeout", "4s",
                "trunkgate.sip.t1", "50")).idle());
        assertThrows(ConfigException.class, () -> of(Map.of("trunkgate.connection.keepalive-timeout", "10")),
                "a bare number has no unit");
    }
}
