package io.trunkgate.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CertSettingsTest {

    private static Settings with(Map<String, String> overrides) {
        return new Settings(k -> Optional.ofNullable(overrides.getOrDefault(k, Settings.defaults().getProperty(k))));
    }

    @Test
    @DisplayName("CERT-8, CERT-9, CERT-11: the shipped defaults")
    void defaults() {
        assertEquals(CertSettings.defaults(), CertSettings.from(with(Map.of())));
    }

    @Test
    @DisplayName("CERT-9: trunkgate.crl.timeout takes a unit or ISO-8601; a bare number is refused")
    void cert9TimeoutFormat() {
        assertEquals(Duration.ofMillis(500), CertSettings.duration("k", "500ms"));
        assertEquals(Duration.ofSeconds(5), CertSettings.duration("k", "5s"));
        assertEquals(Duration.ofMinutes(1), CertSettings.duration("k", "1m"));
        assertEquals(Duration.ofSeconds(7), CertSettings.duration("k", "PT7S"));
        assertThrows(ConfigException.class, () -> CertSettings.duration("k", "5"));
        assertThrows(ConfigException.class, () -> CertSettings.duration("k", "0s"));
    }

    @Test
    @DisplayName("CERT-9: a bad policy names the key")
    void cert9BadPolicy() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> CertSettings.from(with(Map.of(CertSettings.CRL_POLICY, "maybe"))));
        assertEquals(true, e.getMessage().startsWith(CertSettings.CRL_POLICY), e.getMessage());
    }
}
