package io.trunkgate.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import io.trunkgate.tls.CertificateIssuer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustProfilesTest {

    @Test
    @DisplayName("CERT-3: byoc-cloud is DigiCert High Assurance EV Root CA alone")
    void cert3ByocCloudIsOneRoot() {
        TrustAnchors t = TrustProfiles.load("byoc-cloud");
        assertEquals(1, t.certificates().size());
        assertEquals("DigiCert High Assurance EV Root CA", CertificateNames.display(t.certificates().get(0)));
        assertEquals(TrustProfiles.BYOC_ROOT_SHA256, TrustProfiles.sha256(t.certificates().get(0)));
    }

    @Test
    @DisplayName("CERT-4: public-cas holds only roots of the CERT-4 families found in this JDK's cacerts")
    void cert4PublicCasFromJdkCacerts() throws Exception {
        PublicCas cas = PublicCas.fromKeyStore(PublicCas.jdkCacerts());
        cas.describe().forEach(System.out::println);
        // families every current JDK ships roots of
        for (CaFamily f : List.of(CaFamily.AMAZON, CaFamily.COMODO_SECTIGO, CaFamily.DIGICERT, CaFamily.ENTRUST,
                CaFamily.GLOBALSIGN, CaFamily.GODADDY_STARFIELD)) {
            assertFalse(cas.byFamily().get(f).isEmpty(), f + " has no root in cacerts");
        }
        TrustAnchors t = TrustProfiles.load("public-cas");
        assertEquals(cas.all().size(), t.certificates().size());
        assertTrue(t.certificates().stream().anyMatch(c ->
                CertificateNames.display(c).equals("DigiCert High Assurance EV Root CA")), "CERT-3 root is CERT-4 too");
        assertTrue(t.certificates().stream().noneMatch(c -> CertificateNames.display(c).startsWith("ISRG")),
                "Let's Encrypt is no CERT-4 family");
        assertTrue(t.certificates().stream().allMatch(TrustProfiles::isCaCertificate));
    }

    @Test
    @DisplayName("CERT-4: families are matched by organisation")
    void cert4FamilyMatching() {
        assertTrue(CaFamily.COMODO_SECTIGO.matches("The USERTRUST Network"));
        assertTrue(CaFamily.GODADDY_STARFIELD.matches("Starfield Technologies, Inc."));
        assertTrue(CaFamily.TELIASONERA.matches("TeliaSonera"));
        assertTrue(CaFamily.AMAZON.matches("Amazon"));
        assertFalse(CaFamily.TELIASONERA.matches("Internet Security Research Group"));
        assertFalse(CaFamily.ENTRUST.matches("IdenTrust"), "IdenTrust is not Entrust");
    }

    @Test
    @DisplayName("CERT-2: a PEM bundle of CA certificates is a trust profile")
    void cert2PemBundle(@TempDir Path dir) throws Exception {
        TestPki a = new TestPki("bundle-a");
        TestPki b = new TestPki("bundle-b");
        Path file = dir.resolve("trust.pem");
        Pem.write(file, a.root.certificate(), b.root.certificate(), a.intermediate.certificate());
        TrustAnchors t = TrustProfiles.load(file.toString());
        assertEquals(3, t.certificates().size());
        assertEquals(file.toString(), t.name());
    }

    @Test
    @DisplayName("CERT-2: a leaf (server certificate) given as trust anchor is refused, citing CERT-2")
    void cert2LeafAsTrustAnchorIsRefused(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki("leaf-anchor");
        Path file = dir.resolve("trust.pem");
        Pem.write(file, pki.root.certificate(), pki.leaf("server.example.test").certificate());
        TrustException e = assertThrows(TrustException.class, () -> TrustProfiles.load(file.toString()));
        assertTrue(e.getMessage().contains("CERT-2"), e.getMessage());
        // a self-signed server certificate is no CA either
        Path selfSigned = dir.resolve("self.pem");
        Pem.write(selfSigned, CertificateIssuer.leaf("self.example.test").dns("self.example.test").selfSigned()
                .certificate());
        assertThrows(TrustException.class, () -> TrustProfiles.load(selfSigned.toString()));
    }

    @Test
    @DisplayName("CERT-2: an unknown profile or unreadable file is refused with the accepted values")
    void cert2UnknownProfile() {
        TrustException e = assertThrows(TrustException.class, () -> TrustProfiles.load("no-such-profile"));
        assertTrue(e.getMessage().contains("byoc-cloud"), e.getMessage());
    }
}
