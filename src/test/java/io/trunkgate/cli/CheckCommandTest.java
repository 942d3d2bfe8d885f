package io.trunkgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.trunkgate.cert.Pem;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.JdkTlsServer;
import io.trunkgate.tls.CertificateIssuer;
import io.trunkgate.tls.TlsProfile;
import org.junit.jupiter.api.Test;

/** {@code check HOST[:PORT]}: a remote's TLS server against TLS-4..6, TLS-9 and CERT-*, then OPTIONS (exit 0/1/2). */
class CheckCommandTest {

    private record Run(int code, String out, String err) {
    }

    /** A root, an intermediate (pathLen 0) and a localhost leaf, named after {@code what}. */
    private record TestChain(CertificateIssuer.Issued root, CertificateIssuer.Issued intermediate,
            CertificateIssuer.Issued leaf) {
        static TestChain of(String what) {
            CertificateIssuer.Issued root = CertificateIssuer.ca("check " + what + " root CA").selfSigned();
            CertificateIssuer.Issued intermediate = CertificateIssuer.ca("check " + what + " intermediate CA")
                    .pathLength(0).issuedBy(root);
            return new TestChain(root, intermediate,
                    CertificateIssuer.leaf("localhost").dns("localhost").issuedBy(intermediate));
        }
    }

    private static Run check(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new java.util.ArrayList<>(List.of("check"));
        all.addAll(List.of(args));
        int code = TrunkgateCli.execute(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void tls4_to_tls9_a_gateway_with_the_spec_profile_conforms_and_answers_options() throws Exception {
        try (RunningGateway gw = RunningGateway.start()) {
            Run r = check("localhost:" + gw.trunkPort(), "--trust", gw.pki().resolve("root.pem").toString());
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("PASS  TLS-4   as our client role: TLSv1.2, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,"
                    + " ECDHE on secp384r1"), r.out());
            for (String suite : TlsProfile.SPEC_SUITES) {
                assertTrue(r.out().contains("PASS  TLS-5   accepts " + suite + "\n"), r.out());
            }
            assertTrue(r.out().contains("PASS  TLS-5   refuses TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"), r.out());
            assertTrue(r.out().contains("PASS  TLS-4   refuses TLS 1.3"), r.out());
            assertTrue(r.out().contains("PASS  TLS-4   refuses TLS 1.1"), r.out());
            assertTrue(r.out().contains("PASS  TLS-6   refuses ECDHE offered on secp256r1 only"), r.out());
            assertTrue(r.out().contains("PASS  TLS-6   refuses ECDHE offered on x25519 only"), r.out());
            assertTrue(r.out().contains("INFO  TLS-9   sent [1] O=trunkgate,CN=trunkgate dev intermediate CA"), r.out());
            assertTrue(r.out().contains("PASS  TLS-9   complete"), r.out());
            assertTrue(r.out().contains("PASS  CERT-5  'localhost' matches SAN dNSName 'localhost'"), r.out());
            assertTrue(r.out().contains("PASS  CERT-8"), r.out());
            assertTrue(r.out().contains("PASS  CERT-9"), r.out());
            assertTrue(r.out().contains("PASS  TLS-1   OPTIONS on the verified connection: SIP/2.0 200 OK"), r.out());
            assertTrue(r.out().contains("verdict: CONFORMS"), r.out());
        }
    }

    @Test
    void tls4_a_server_that_also_allows_tls13_does_not_conform() throws Exception {
        TestChain pki = TestChain.of("test");
        CertificateIssuer.Issued root = pki.root();
        CertificateIssuer.Issued intermediate = pki.intermediate();
        CertificateIssuer.Issued leaf = pki.leaf();
        Path rootFile = Files.createTempDirectory("trunkgate-check").resolve("root.pem");
        Pem.write(rootFile, root.certificate());
        try (JdkTlsServer server = new JdkTlsServer(new String[] {"TLSv1.2", "TLSv1.3"}, leaf, intermediate)) {
            Run r = check("localhost:" + server.port(), "--trust", rootFile.toString(), "--timeout", "3");
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("FAIL  TLS-4   accepts TLS 1.3"), r.out());
            assertTrue(r.out().contains("FAIL  TLS-6   accepts ECDHE offered on secp256r1 only"), r.out());
            assertTrue(r.out().contains("PASS  TLS-9   complete"), r.out());
            assertTrue(r.out().contains("verdict: DOES NOT CONFORM (failed: "), r.out());
        }
    }

    @Test
    void tls9_a_gateway_that_sends_no_intermediate_does_not_conform() throws Exception {
        TestChain pki = TestChain.of("test");
        CertificateIssuer.Issued root = pki.root();
        CertificateIssuer.Issued intermediate = pki.intermediate();
        CertificateIssuer.Issued leaf = pki.leaf();
        Path dir = Files.createTempDirectory("trunkgate-check");
        Pem.write(dir.resolve("root.pem"), root.certificate());
        Pem.write(dir.resolve("leaf-only.pem"), leaf.certificate());
        Pem.write(dir.resolve("leaf.key"), leaf.key());
        try (RunningGateway gw = RunningGateway.start(Map.of(
                "trunkgate.tls.certificate", dir.resolve("leaf-only.pem").toString(),
                "trunkgate.tls.private-key", dir.resolve("leaf.key").toString()))) {
            Run r = check("localhost:" + gw.trunkPort(), "--trust", dir.resolve("root.pem").toString());
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("FAIL  TLS-9   incomplete chain"), r.out());
            assertTrue(r.out().contains("SKIP  TLS-1   OPTIONS not sent"), r.out());
            assertTrue(r.out().contains("PASS  TLS-4   refuses TLS 1.3"), r.out());
            assertTrue(r.out().contains("verdict: DOES NOT CONFORM (failed: TLS-9)"), r.out());
        }
    }

    @Test
    void cert1_a_complete_chain_whose_root_is_not_trusted_is_not_reported_as_incomplete() throws Exception {
        TestChain untrusted = TestChain.of("untrusted");
        Path otherRoot = Files.createTempDirectory("trunkgate-check").resolve("other-root.pem");
        Pem.write(otherRoot, CertificateIssuer.ca("check trusted root CA").selfSigned().certificate());
        try (JdkTlsServer server = new JdkTlsServer(untrusted.leaf(), untrusted.intermediate(), untrusted.root())) {
            Run r = check("localhost:" + server.port(), "--trust", otherRoot.toString(), "--timeout", "3");
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("PASS  TLS-9   complete"), r.out());
            assertTrue(r.out().contains("FAIL  CERT-1  the chain is complete but its root 'check untrusted root CA'"
                    + " is not a trust anchor"), r.out());
            assertTrue(!r.out().contains("FAIL  TLS-9"), r.out());
        }
    }

    @Test
    void cert6_an_ip_literal_is_refused_before_connecting() {
        for (String target : new String[] {"127.0.0.1:5061", "127.0.0.1", "[::1]:5061", "::1"}) {
            Run r = check(target);
            assertEquals(2, r.code(), target + ": " + r.out() + r.err());
            assertTrue(r.err().contains("CERT-6"), r.err());
            assertTrue(r.out().isEmpty(), r.out());
        }
    }

    @Test
    void an_unreachable_host_and_bad_arguments_are_usage_errors() throws Exception {
        int closed = RunningGateway.freePort();
        Run r = check("localhost:" + closed, "--timeout", "2");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("cannot reach localhost:" + closed), r.err());
        assertEquals(2, check().code());
        assertEquals(2, check("localhost", "--timeout", "0").code());
        assertEquals(2, check("localhost:99999").code());
    }
}
