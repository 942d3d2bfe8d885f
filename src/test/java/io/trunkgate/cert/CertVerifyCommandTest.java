package io.trunkgate.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.trunkgate.cli.TrunkgateCli;
import io.trunkgate.tls.CertificateIssuer.Issued;
import io.trunkgate.tls.CertificateIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code cert verify}: findings, verdict and exit codes 0 (valid), 1 (invalid), 2 (usage or unreadable input). */
@Timeout(60)
class CertVerifyCommandTest {

    private static final String HOST = "lb01.trunk.example.test";
    @TempDir
    static Path dir;
    private static CrlServer server;
    private static TestPki pki;
    private static Issued revoked;
    private static Path trust;
    private static Path goodChain;
    private static Path revokedChain;

    private record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void files() throws Exception {
        server = new CrlServer();
        pki = new TestPki("cli", server.base());
        Issued good = CertificateIssuer.leaf(HOST).dns(HOST).crl(server.base() + "/int.crl").issuedBy(pki.intermediate);
        revoked = CertificateIssuer.leaf(HOST).dns(HOST).crl(server.base() + "/int.crl").issuedBy(pki.intermediate);
        Instant now = Instant.now();
        server.put("/int.crl", CertificateIssuer.issueCrl(pki.intermediate, now.minusSeconds(1),
                now.plus(Duration.ofDays(1)), revoked.certificate()));
        server.put("/root.crl", CertificateIssuer.issueCrl(pki.root, now.minusSeconds(1), now.plus(Duration.ofDays(1))));
        trust = dir.resolve("root.pem");
        Pem.write(trust, pki.root.certificate());
        goodChain = dir.resolve("good.pem");
        Pem.write(goodChain, pki.chain(good));
        revokedChain = dir.resolve("revoked.pem");
        Pem.write(revokedChain, pki.chain(revoked));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("cert", "verify"));
        all.addAll(List.of(args));
        int code = TrunkgateCli.execute(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Run r = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("exit " + code + "\n" + r.out + r.err);
        return r;
    }

    @Test
    @DisplayName("CERT-1, CERT-5, CERT-9: a valid chain prints its findings and exits 0 (CRLs downloaded)")
    void cert5ValidExitsZero() {
        Run r = cli("--chain", goodChain.toString(), "--name", HOST, "--trust", trust.toString());
        assertEquals(0, r.code());
        assertTrue(r.out().contains("verdict: VALID"), r.out());
        assertTrue(r.out().contains("CERT-9"), r.out());
    }

    @Test
    @DisplayName("CERT-5: a wrong name exits 1 with a CERT-5 finding")
    void cert5WrongNameExitsOne() {
        Run r = cli("--chain", goodChain.toString(), "--name", "lb02.trunk.example.test", "--trust", trust.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().matches("(?s).*ERROR\\s+CERT-5.*"), r.out());
        assertTrue(r.out().contains("verdict: INVALID"), r.out());
    }

    @Test
    @DisplayName("CERT-8: --at validates at an ISO-8601 instant")
    void cert8AtInstant() {
        String later = Instant.now().plus(Duration.ofDays(1000)).toString();
        Run r = cli("--chain", goodChain.toString(), "--name", HOST, "--trust", trust.toString(), "--at", later,
                "--crl", crlFile(false).toString());
        assertEquals(1, r.code());
        assertTrue(r.out().matches("(?s).*ERROR\\s+CERT-8.*"), r.out());
    }

    @Test
    @DisplayName("CERT-9: a revoked chain exits 1, with downloaded CRLs and with --crl files (no download)")
    void cert9RevokedExitsOne() {
        Run fetched = cli("--chain", revokedChain.toString(), "--name", HOST, "--trust", trust.toString());
        assertEquals(1, fetched.code());
        assertTrue(fetched.out().matches("(?s).*ERROR\\s+CERT-9.*"), fetched.out());
        int before = server.requests();
        Run local = cli("--chain", revokedChain.toString(), "--name", HOST, "--trust", trust.toString(),
                "--crl", crlFile(true).toString(), "--crl", rootCrlFile().toString());
        assertEquals(1, local.code());
        assertTrue(local.out().matches("(?s).*ERROR\\s+CERT-9.*"), local.out());
        assertEquals(before, server.requests(), "--crl must not download");
    }

    @Test
    @DisplayName("CERT-5: a chain whose leaf SAN cannot be parsed exits 1 with findings, never 2 (the CN is not used)")
    void cert5MalformedSanExitsOne() throws Exception {
        Issued broken = CertificateIssuer.leaf(HOST).extension(new org.bouncycastle.asn1.x509.Extension(
                org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.DEROctetString(new byte[] {0x30, 0x05, (byte) 0x82, 0x07, 'a', 'b', 'c'})))
                .issuedBy(pki.intermediate);
        Path file = dir.resolve("malformed-san.pem");
        Pem.write(file, pki.chain(broken));
        Run r = cli("--chain", file.toString(), "--name", HOST, "--trust", trust.toString(), "--crl",
                crlFile(false).toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*ERROR\\s+CERT-5.*subjectAltName.*"), r.out());
    }

    @Test
    @DisplayName("TLS-7: --role client checks a client certificate without a name")
    void tls7ClientRole() {
        assertEquals(0, cli("--chain", goodChain.toString(), "--role", "client", "--trust", trust.toString()).code());
    }

    @Test
    @DisplayName("CERT-2: a leaf given as --trust exits 2 citing CERT-2")
    void cert2LeafTrustExitsTwo() {
        Run r = cli("--chain", goodChain.toString(), "--name", HOST, "--trust", goodChain.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("CERT-2"), r.err());
    }

    @Test
    @DisplayName("CERT-10: usage errors and unreadable input exit 2")
    void cert10UsageErrorsExitTwo() throws Exception {
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate");
        assertEquals(2, cli("--chain", garbage.toString(), "--name", HOST, "--trust", trust.toString()).code());
        assertEquals(2, cli("--chain", dir.resolve("missing.pem").toString(), "--name", HOST).code());
        assertEquals(2, cli("--chain", goodChain.toString()).code());
        assertEquals(2, cli("--chain", goodChain.toString(), "--name", HOST, "--at", "yesterday").code());
        assertEquals(2, cli("--chain", goodChain.toString(), "--name", HOST, "--role", "proxy").code());
        assertEquals(2, cli("--chain", goodChain.toString(), "--name", HOST, "--trust", trust.toString(),
                "--crl", garbage.toString()).code());
        assertEquals(2, cli("--chain").code());
    }

    private static Path crlFile(boolean withRevoked) {
        try {
            Path f = dir.resolve(withRevoked ? "int-revoked.crl" : "int.crl");
            Files.write(f, (withRevoked
                    ? CertificateIssuer.issueCrl(pki.intermediate, Instant.now().minusSeconds(1),
                            Instant.now().plus(Duration.ofDays(2000)), revoked.certificate())
                    : CertificateIssuer.issueCrl(pki.intermediate, Instant.now().minusSeconds(1),
                            Instant.now().plus(Duration.ofDays(2000)))).getEncoded());
            return f;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path rootCrlFile() {
        try {
            Path f = dir.resolve("root.crl");
            Files.write(f, CertificateIssuer.issueCrl(pki.root, Instant.now().minusSeconds(1),
                    Instant.now().plus(Duration.ofDays(2000))).getEncoded());
            return f;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
