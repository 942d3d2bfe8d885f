package io.trunkgate.cert;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.trunkgate.tls.CertificateIssuer;
import io.trunkgate.tls.CertificateIssuer.Issued;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The validator's steps against a test PKI, without revocation (see RevocationTest). */
class CertificateValidatorTest {

    private static final String HOST = "lb01.trunk.example.test";
    private static TestPki pki;
    private static CertificateValidator validator;

    @BeforeAll
    static void pki() {
        pki = new TestPki("validator");
        validator = CertificateValidator.withoutRevocation(pki.trust(), CertSettings.defaults());
    }

    private static Report validate(List<X509Certificate> chain, String host) {
        Report r = validator.validate(chain, PeerName.dialled(host), PeerRole.SERVER, Instant.now());
        System.out.println(r.block(host));
        return r;
    }

    private static void assertRefused(Report r, String requirement) {
        assertFalse(r.valid(), r::toString);
        assertTrue(r.has(requirement, Severity.ERROR), () -> "expected an ERROR citing " + requirement + ": " + r);
    }

    /** Refused citing {@code requirement}, and the errors say {@code words}. */
    private static void assertRefused(Report r, String requirement, String words) {
        assertRefused(r, requirement);
        assertTrue(r.line(Severity.ERROR).contains(words), () -> "expected '" + words + "' in: " + r);
    }

    @Test
    @DisplayName("CERT-1, CERT-5, CERT-8: a valid chain with the dialled name in its SAN passes")
    void cert1ValidChainPasses() {
        Report r = validate(pki.chain(pki.leaf(HOST, "lb02.trunk.example.test")), HOST);
        assertTrue(r.valid(), r::toString);
        assertTrue(r.has("CERT-5", Severity.INFO));
        assertTrue(r.has("CERT-1", Severity.INFO));
    }

    @Test
    @DisplayName("CERT-5: names compare case-insensitively and ignore a trailing dot")
    void cert5CaseAndTrailingDot() {
        assertTrue(validate(pki.chain(pki.leaf(HOST)), "LB01.Trunk.Example.Test.").valid());
    }

    @Test
    @DisplayName("CERT-5: a certificate for another name is refused")
    void cert5WrongNameIsRefused() {
        assertRefused(validate(pki.chain(pki.leaf("other.example.test")), HOST), "CERT-5");
    }

    @Test
    @DisplayName("CERT-5: the CN counts when there is no SAN dNSName")
    void cert5CommonNameOnlyPasses() {
        Issued cnOnly = CertificateIssuer.leaf(HOST).issuedBy(pki.intermediate);
        Report r = validate(pki.chain(cnOnly), HOST);
        assertTrue(r.valid(), r::toString);
        assertRefused(validate(pki.chain(cnOnly), "lb09.trunk.example.test"), "CERT-5");
    }

    @Test
    @DisplayName("CERT-5: the CN does not count when the certificate has a SAN dNSName")
    void cert5CommonNameIgnoredWhenSanPresent() {
        Issued leaf = CertificateIssuer.leaf(HOST).dns("other.example.test").issuedBy(pki.intermediate);
        assertRefused(validate(pki.chain(leaf), HOST), "CERT-5");
    }

    @Test
    @DisplayName("CERT-6: an IP literal as the dialled name is refused, even when the certificate has that IP")
    void cert6IpTargetIsRefused() {
        Issued leaf = CertificateIssuer.leaf(HOST).dns(HOST).ip("192.0.2.10").issuedBy(pki.intermediate);
        assertRefused(validate(pki.chain(leaf), "192.0.2.10"), "CERT-6");
        assertRefused(validate(pki.chain(leaf), "[2001:db8::1]"), "CERT-6");
    }

    @Test
    @DisplayName("CERT-6: IP-only SANs never satisfy the name check")
    void cert6IpOnlySanIsRefused() {
        Issued leaf = CertificateIssuer.leaf("192.0.2.10").ip("192.0.2.10").issuedBy(pki.intermediate);
        Report r = validate(pki.chain(leaf), HOST);
        assertRefused(r, "CERT-5");
        assertTrue(r.has("CERT-6", Severity.INFO));
    }

    @Test
    @DisplayName("CERT-11: a wildcard certificate is refused by default and accepted (with a warning) when allowed")
    void cert11WildcardRefusedByDefault() {
        Issued wild = CertificateIssuer.leaf("*.trunk.example.test").dns("*.trunk.example.test")
                .issuedBy(pki.intermediate);
        assertRefused(validate(pki.chain(wild), HOST), "CERT-11");
        CertificateValidator relaxed = CertificateValidator.withoutRevocation(pki.trust(),
                CertSettings.defaults().withAllowWildcards(true));
        Report r = relaxed.validate(pki.chain(wild), PeerName.dialled(HOST), PeerRole.SERVER, Instant.now());
        assertTrue(r.valid(), r::toString);
        assertTrue(r.has("CERT-11", Severity.WARNING));
        // a wildcard stands for one label only, and never for the registrable domain
        Report deeper = relaxed.validate(pki.chain(wild), PeerName.dialled("a.lb01.trunk.example.test"),
                PeerRole.SERVER, Instant.now());
        assertTrue(deeper.has("CERT-5", Severity.ERROR), deeper::toString);
    }

    @Test
    @DisplayName("CERT-12: an SRV-found host is checked by its target; the _sips._tcp owner name is refused")
    void cert12SrvTargetIsChecked() {
        List<X509Certificate> chain = pki.chain(pki.leaf(HOST));
        Report r = validator.validate(chain, PeerName.viaSrv("_sips._tcp.trunk.example.test", HOST), PeerRole.SERVER,
                Instant.now());
        assertTrue(r.valid(), r::toString);
        assertRefused(validate(chain, "_sips._tcp.trunk.example.test"), "CERT-12");
    }

    @Test
    @DisplayName("CERT-8: an expired certificate is refused")
    void cert8ExpiredIsRefused() {
        Issued old = CertificateIssuer.leaf(HOST).dns(HOST)
                .validity(Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(1)))
                .issuedBy(pki.intermediate);
        Report r = validate(pki.chain(old), HOST);
        assertRefused(r, "CERT-8");
        assertFalse(r.has("CERT-1", Severity.ERROR), "an expiry alone is no path fault: " + r);
    }

    @Test
    @DisplayName("CERT-8: a certificate not yet valid is refused")
    void cert8NotYetValidIsRefused() {
        Issued future = CertificateIssuer.leaf(HOST).dns(HOST)
                .validity(Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(400)))
                .issuedBy(pki.intermediate);
        assertRefused(validate(pki.chain(future), HOST), "CERT-8");
    }

    @Test
    @DisplayName("CERT-8: validation happens at the given instant")
    void cert8ValidationInstant() {
        List<X509Certificate> chain = pki.chain(pki.leaf(HOST));
        Report later = validator.validate(chain, PeerName.dialled(HOST), PeerRole.SERVER,
                Instant.now().plus(Duration.ofDays(900)));
        assertRefused(later, "CERT-8");
    }

    @Test
    @DisplayName("CERT-8: a certificate expiring within the warning window gives a warning, not a refusal")
    void cert8ExpiryWarning() {
        Issued soon = CertificateIssuer.leaf(HOST).dns(HOST)
                .validity(Instant.now().minus(Duration.ofDays(300)), Instant.now().plus(Duration.ofDays(10)))
                .issuedBy(pki.intermediate);
        Report r = validate(pki.chain(soon), HOST);
        assertTrue(r.valid(), r::toString);
        assertTrue(r.has("CERT-8", Severity.WARNING), r::toString);
    }

    @Test
    @DisplayName("CERT-1: a chain to a root we do not trust is refused")
    void cert1UntrustedRootIsRefused() {
        TestPki other = new TestPki("untrusted");
        Issued leaf = other.leaf(HOST);
        assertRefused(validate(TestPki.chain(leaf, other.intermediate, other.root), HOST), "CERT-1");
        // without the root the issuer is unknown: incomplete or untrusted, the finding says both
        assertRefused(validate(other.chain(leaf), HOST), "TLS-9");
    }

    @Test
    @DisplayName("TLS-9, TLS-10: a chain without its intermediate fails; the intermediate is never fetched")
    void tls9MissingIntermediateIsRefused() {
        Report r = validate(List.of(pki.leaf(HOST).certificate()), HOST);
        assertRefused(r, "TLS-9");
        assertTrue(r.errors().get(0).message().contains("TLS-10"), r::toString);
    }

    @Test
    @DisplayName("TLS-9: a server that also sends the root still validates")
    void tls9RootIncludedPasses() {
        Issued leaf = pki.leaf(HOST);
        assertTrue(validate(TestPki.chain(leaf, pki.intermediate, pki.root), HOST).valid());
    }

    @Test
    @DisplayName("CERT-1: a certificate issued by a certificate that is not a CA is refused")
    void cert1IssuerNotCaIsRefused() {
        Issued fakeCa = CertificateIssuer.ca("not really a CA").withoutCaExtensions().issuedBy(pki.intermediate);
        // the intermediate's pathLen 0 would also refuse it: use the root as the issuer of the fake CA
        Issued fakeUnderRoot = CertificateIssuer.ca("not really a CA").withoutCaExtensions().issuedBy(pki.root);
        Issued leaf = CertificateIssuer.leaf(HOST).dns(HOST).issuedBy(fakeUnderRoot);
        assertRefused(validate(TestPki.chain(leaf, fakeUnderRoot), HOST), "CERT-1");
        Issued leafUnderLeaf = CertificateIssuer.leaf(HOST).dns(HOST).issuedBy(pki.leaf("server.example.test"));
        assertFalse(validate(List.of(leafUnderLeaf.certificate(), fakeCa.certificate()), HOST).valid());
    }

    @Test
    @DisplayName("CERT-1: a leaf issued by a CA whose pathLen forbids it is refused")
    void cert1PathLenIsEnforced() {
        Issued sub = CertificateIssuer.ca("sub CA").issuedBy(pki.intermediate); // intermediate has pathLen 0
        Issued leaf = CertificateIssuer.leaf(HOST).dns(HOST).issuedBy(sub);
        assertRefused(validate(TestPki.chain(leaf, sub, pki.intermediate), HOST), "CERT-1");
    }

    @Test
    @DisplayName("CERT-1: a certificate whose signature does not verify is refused")
    void cert1BadSignatureIsRefused() {
        Issued forged = CertificateIssuer.leaf(HOST).dns(HOST).badSignature().issuedBy(pki.intermediate);
        assertRefused(validate(pki.chain(forged), HOST), "CERT-1", "signature");
    }

    @Test
    @DisplayName("CERT-1: a server certificate without extendedKeyUsage serverAuth is refused")
    void cert1ServerAuthRequired() {
        Issued noEku = CertificateIssuer.leaf(HOST).dns(HOST).withoutServerAuth().issuedBy(pki.intermediate);
        assertRefused(validate(pki.chain(noEku), HOST), "CERT-1");
    }

    @Test
    @DisplayName("TLS-7: a client certificate (client-auth hardening) is checked without a host name")
    void tls7ClientCertificateWithoutName() {
        Report r = validator.validate(pki.chain(pki.leaf(HOST)), null, PeerRole.CLIENT, Instant.now());
        assertTrue(r.valid(), r::toString);
        Report server = validator.validate(pki.chain(pki.leaf(HOST)), null, PeerRole.SERVER, Instant.now());
        assertRefused(server, "CERT-5");
    }

    /** A leaf whose subjectAltName extension holds {@code bytes} as they are, parseable or not. */
    private static Issued rawSan(byte[] bytes) {
        return CertificateIssuer.leaf(HOST).extension(new Extension(Extension.subjectAlternativeName, false,
                new DEROctetString(bytes))).issuedBy(pki.intermediate);
    }

    @Test
    @DisplayName("CERT-5: a SAN that cannot be parsed refuses the certificate; the CN does not stand in for it")
    void cert5MalformedSanIsRefused() {
        byte[][] malformed = {
            {0x30, 0x05, (byte) 0x82, 0x07, 'a', 'b', 'c'}, // a dNSName longer than its sequence
            {0x30, 0x03, 0x02, 0x01, 0x05},                 // an INTEGER where a GeneralName belongs
            {0x30, 0x03, (byte) 0x87, 0x01, 0x01},          // an iPAddress of one byte (the JDK drops it, BC not)
            {0x30, 0x00},                                   // no name at all (RFC 5280 4.2.1.6)
        };
        for (byte[] bytes : malformed) {
            List<X509Certificate> chain = pki.chain(rawSan(bytes)); // CN = HOST: a fallback would match
            Report server = validate(chain, HOST);
            assertFalse(server.valid(), server::toString);
            assertTrue(server.has("CERT-5", Severity.ERROR), server::toString);
            Report client = validator.validate(chain, null, PeerRole.CLIENT, Instant.now());
            assertFalse(client.valid(), "a malformed SAN is invalid in any role: " + client);
        }
    }

    @Test
    @DisplayName("CERT-1: RSA keys under 2048 bits and EC keys under 256 bits are refused; P-256 and RSA 2048 pass")
    void cert1WeakKeysAreRefused() {
        Issued rsa1024 = CertificateIssuer.leaf(HOST).dns(HOST).keyPair(CertificateIssuer.rsa(1024))
                .issuedBy(pki.intermediate);
        assertRefused(validate(pki.chain(rsa1024), HOST), "CERT-1", "1024 bits");
        Issued p192 = CertificateIssuer.leaf(HOST).dns(HOST).keyPair(CertificateIssuer.ec("secp192r1"))
                .issuedBy(pki.intermediate);
        assertRefused(validate(pki.chain(p192), HOST), "CERT-1", "192 bits");
        Issued p256 = CertificateIssuer.leaf(HOST).dns(HOST).keyPair(CertificateIssuer.ec("secp256r1"))
                .issuedBy(pki.intermediate);
        assertTrue(validate(pki.chain(p256), HOST).valid());
        Issued weakCa = CertificateIssuer.ca("weak intermediate").keyPair(CertificateIssuer.rsa(1024))
                .issuedBy(pki.root);
        assertRefused(validate(TestPki.chain(CertificateIssuer.leaf(HOST).dns(HOST).issuedBy(weakCa), weakCa), HOST),
                "CERT-1");
    }

    @Test
    @DisplayName("CERT-1: a SHA-1 signature below the anchor is refused")
    void cert1Sha1SignatureIsRefused() {
        Issued sha1 = CertificateIssuer.leaf(HOST).dns(HOST).signatureAlgorithm("SHA1withRSA")
                .issuedBy(pki.intermediate);
        assertRefused(validate(pki.chain(sha1), HOST), "CERT-1", "SHA1withRSA");
    }

    @Test
    @DisplayName("CERT-1: anyExtendedKeyUsage does not stand in for serverAuth (server) or clientAuth (client)")
    void cert1AnyEkuAlone() {
        Issued any = CertificateIssuer.leaf(HOST).dns(HOST).extendedKeyUsage(KeyPurposeId.anyExtendedKeyUsage)
                .issuedBy(pki.intermediate);
        assertRefused(validate(pki.chain(any), HOST), "CERT-1", "anyExtendedKeyUsage");
        assertFalse(validator.validate(pki.chain(any), null, PeerRole.CLIENT, Instant.now()).valid());
        Issued both = CertificateIssuer.leaf(HOST).dns(HOST)
                .extendedKeyUsage(KeyPurposeId.anyExtendedKeyUsage, KeyPurposeId.id_kp_serverAuth)
                .issuedBy(pki.intermediate);
        assertTrue(validate(pki.chain(both), HOST).valid());
    }

    @Test
    @DisplayName("CERT-1: a critical extendedKeyUsage on the leaf is legal (RFC 5280 4.2.1.12) and passes")
    void cert1CriticalEkuPasses() throws Exception {
        Issued critical = CertificateIssuer.leaf(HOST).dns(HOST).withoutServerAuth()
                .extension(new Extension(Extension.extendedKeyUsage, true,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth).getEncoded()))
                .issuedBy(pki.intermediate);
        Report r = validate(pki.chain(critical), HOST);
        assertTrue(r.valid(), r::toString);
    }
}
