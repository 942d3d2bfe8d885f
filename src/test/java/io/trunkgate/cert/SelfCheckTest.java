package io.trunkgate.cert;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import io.trunkgate.tls.CertificateIssuer.Issued;
import io.trunkgate.tls.CertificateIssuer;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SelfCheckTest {

    private static final String NAME = "sbc.customer.example.test";
    private static TestPki pki;

    @BeforeAll
    static void pki() {
        pki = new TestPki("self-check");
    }

    private static Report check(List<java.security.cert.X509Certificate> chain, List<String> names,
            CertSettings settings) {
        Report r = SelfCheck.check(chain, names, pki.trust(), settings, Instant.now());
        System.out.println(r.block(SelfCheck.TITLE));
        return r;
    }

    @Test
    @DisplayName("CERT-7: the dev PKI passes the self-check with the default settings")
    void cert7DevPkiPasses(@TempDir Path dir) throws Exception {
        DevPki dev = DevPki.generate(dir, List.of("trunk.example.test"));
        Settings defaults = new Settings(k -> java.util.Optional.ofNullable(Settings.defaults().getProperty(k)));
        Report r = SelfCheck.check(Pem.readCertificates(dev.serverChain()), List.of("localhost", "trunk.example.test"),
                TrustProfiles.fromPem(dev.root()), defaults);
        System.out.println(r.block(SelfCheck.TITLE));
        assertTrue(r.valid(), r::toString);
        assertTrue(r.warnings().isEmpty(), r::toString);
    }

    @Test
    @DisplayName("CERT-7: every advertised name must be a SAN dNSName of our certificate")
    void cert7MissingAdvertisedName() {
        Report r = check(pki.chain(pki.leaf(NAME)), List.of(NAME, "lb02.customer.example.test"),
                CertSettings.defaults());
        assertTrue(r.has("CERT-7", Severity.ERROR), r::toString);
    }

    @Test
    @DisplayName("TLS-9: our chain must carry its intermediate")
    void tls9IncompleteOwnChain() {
        Report r = check(List.of(pki.leaf(NAME).certificate()), List.of(NAME), CertSettings.defaults());
        assertTrue(r.has("TLS-9", Severity.ERROR), r::toString);
    }

    @Test
    @DisplayName("CERT-11, CERT-6: no wildcard and no IP in our certificate or advertised names")
    void cert11NoWildcardNoIp() {
        Issued wild = CertificateIssuer.leaf(NAME).dns(NAME, "*.customer.example.test").ip("192.0.2.1")
                .issuedBy(pki.intermediate);
        Report r = check(pki.chain(wild), List.of(NAME, "192.0.2.1"), CertSettings.defaults());
        assertTrue(r.has("CERT-11", Severity.ERROR), r::toString);
        assertTrue(r.has("CERT-6", Severity.ERROR), r::toString);
        assertTrue(r.has("CERT-6", Severity.WARNING), r::toString);
    }

    @Test
    @DisplayName("CERT-8: an expired own certificate is an error, one expiring soon a warning")
    void cert8OwnDates() {
        Issued soon = CertificateIssuer.leaf(NAME).dns(NAME)
                .validity(Instant.now().minus(Duration.ofDays(100)), Instant.now().plus(Duration.ofDays(5)))
                .issuedBy(pki.intermediate);
        Report r = check(pki.chain(soon), List.of(NAME), CertSettings.defaults());
        assertTrue(r.valid(), r::toString);
        assertTrue(r.has("CERT-8", Severity.WARNING), r::toString);
        Report later = SelfCheck.check(pki.chain(soon), List.of(NAME), pki.trust(), CertSettings.defaults(),
                Instant.now().plus(Duration.ofDays(6)));
        assertTrue(later.has("CERT-8", Severity.ERROR), later::toString);
    }

    @Test
    @DisplayName("CERT-10: trunkgate.tls.self-check=fail stops start-up on errors; warn only logs")
    void cert10FailMode() {
        Report bad = check(pki.chain(pki.leaf(NAME)), List.of("other.example.test"), CertSettings.defaults());
        assertFalse(bad.valid());
        SelfCheck.enforce(bad, CertSettings.defaults(), LoggerFactory.getLogger(SelfCheckTest.class));
        CertSettings fail = CertSettings.from(new Settings(k -> java.util.Optional.ofNullable(
                k.equals(CertSettings.SELF_CHECK) ? "fail" : Settings.defaults().getProperty(k))));
        ConfigException e = assertThrows(ConfigException.class,
                () -> SelfCheck.enforce(bad, fail, LoggerFactory.getLogger(SelfCheckTest.class)));
        assertTrue(e.getMessage().contains("CERT-7"), e.getMessage());
    }

    @Test
    @DisplayName("CERT-4: a chain our configured trust does not know is checked against public-cas")
    void cert4FallsBackToPublicCas() {
        TestPki stranger = new TestPki("stranger");
        Report r = check(stranger.chain(stranger.leaf(NAME)), List.of(NAME), CertSettings.defaults());
        assertTrue(r.has("CERT-1", Severity.ERROR) || r.has("TLS-9", Severity.ERROR), r::toString);
        assertTrue(r.has("CERT-4", Severity.INFO), r::toString);
    }

    @Test
    @DisplayName("CERT-10: a configured private key that others can read is named by the self-check (a WARNING)")
    void cert10ReadableKeyIsNamed(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.getFileAttributeView(dir,
                java.nio.file.attribute.PosixFileAttributeView.class) != null, "POSIX file system");
        Issued leaf = pki.leaf(NAME);
        Path key = dir.resolve("server.key");
        Pem.write(key, leaf.key());
        java.nio.file.Files.setPosixFilePermissions(key,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Report r = check(pki.chain(leaf), List.of(NAME), CertSettings.defaults().withOwnKey(key));
        assertTrue(r.has("CERT-10", Severity.WARNING), r::toString);
        assertTrue(r.line(Severity.WARNING).contains(key.toString()), r::toString);
        java.nio.file.Files.setPosixFilePermissions(key,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Report ok = check(pki.chain(leaf), List.of(NAME), CertSettings.defaults().withOwnKey(key));
        assertFalse(ok.has("CERT-10", Severity.WARNING), ok::toString);
        // the key file of trunkgate.tls.private-key is the one looked at
        CertSettings fromSettings = CertSettings.from(new Settings(k -> java.util.Optional.ofNullable(
                k.equals(CertSettings.PRIVATE_KEY) ? key.toString() : Settings.defaults().getProperty(k))));
        assertTrue(key.equals(fromSettings.ownKey()), fromSettings::toString);
    }

    @Test
    @DisplayName("CERT-7: our certificate with a SAN that cannot be parsed is an error, not a certificate without SAN")
    void cert7MalformedOwnSan() {
        Issued broken = CertificateIssuer.leaf(NAME).extension(new org.bouncycastle.asn1.x509.Extension(
                org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.DEROctetString(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05})))
                .issuedBy(pki.intermediate);
        Report r = check(pki.chain(broken), List.of(NAME), CertSettings.defaults());
        assertTrue(r.has("CERT-7", Severity.ERROR), r::toString);
    }
}
