package io.trunkgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.trunkgate.cert.Pem;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.TlsSipClient;
import org.junit.jupiter.api.Test;

/**
 * CERT-2: the operator (or the cloud) replaces our certificate files without notice; the gateway picks them up
 * without a restart, for new connections only, and never swaps in a pair that does not belong together.
 */
class CertificateHotReloadTest {

    private static final Duration RELOAD_WAIT = Duration.ofSeconds(8);

    @Test
    void cert2_new_files_serve_new_connections_old_connections_keep_theirs_and_a_bad_pair_is_refused() throws Exception {
        CertificateIssuer.Issued root = CertificateIssuer.ca("reload test root CA").selfSigned();
        CertificateIssuer.Issued intermediate = CertificateIssuer.ca("reload test intermediate CA").pathLength(0)
                .issuedBy(root);
        CertificateIssuer.Issued first = leaf("reload-1.example", intermediate);
        CertificateIssuer.Issued second = leaf("reload-2.example", intermediate);
        CertificateIssuer.Issued third = leaf("reload-3.example", intermediate);
        CertificateIssuer.Issued fourth = leaf("reload-4.example", intermediate);

        Path dir = Files.createTempDirectory("trunkgate-reload");
        Path chain = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        Path rootFile = dir.resolve("root.pem");
        Pem.write(rootFile, root.certificate());
        Pem.write(chain, first.certificate(), intermediate.certificate());
        Pem.write(key, first.key());

        try (RunningGateway gw = RunningGateway.start(Map.of(
                "trunkgate.tls.certificate", chain.toString(),
                "trunkgate.tls.private-key", key.toString(),
                "trunkgate.tls.reload-interval", "1"));
                TlsSipClient old = new TlsSipClient(gw.trunkPort(), rootFile)) {
            assertEquals(first.certificate().getSerialNumber(), old.peerCertificate().getSerialNumber());

            // written in two steps, as a deployment tool does: a poll between them sees the new certificate with
            // the old key, refuses it, and must still take the pair once the key follows
            Pem.write(chain, second.certificate(), intermediate.certificate());
            gw.awaitLog(RELOAD_WAIT, "cannot be used, keeping O=trunkgate, CN=reload-1.example",
                    "certificate O=trunkgate, CN=reload-2.example", "CERT-2");
            try (TlsSipClient during = new TlsSipClient(gw.trunkPort(), rootFile)) {
                assertEquals(first.certificate().getSerialNumber(), during.peerCertificate().getSerialNumber(),
                        "a half-written pair is never served");
            }
            Pem.write(key, second.key());
            gw.awaitLog(RELOAD_WAIT, "TLS certificate reloaded: O=trunkgate, CN=reload-2.example");

            try (TlsSipClient fresh = new TlsSipClient(gw.trunkPort(), rootFile)) {
                assertEquals(second.certificate().getSerialNumber(), fresh.peerCertificate().getSerialNumber(),
                        "a new connection gets the new certificate");
            }
            old.send(TlsSipClient.options("cert2-old-connection"));
            String response = old.readMessage();
            assertTrue(response.startsWith("SIP/2.0 200 OK") && response.contains("cert2-old-connection"), response);
            assertEquals(first.certificate().getSerialNumber(), old.peerCertificate().getSerialNumber());

            // a certificate with the key of another one: refused with the reason, the current pair stays
            Pem.write(chain, third.certificate(), intermediate.certificate());
            Pem.write(key, fourth.key());
            String refusal = gw.awaitLog(RELOAD_WAIT, "cannot be used, keeping O=trunkgate, CN=reload-2.example",
                    "the private key does not belong to the certificate O=trunkgate, CN=reload-3.example", "CERT-2");
            assertTrue(refusal.startsWith("ERROR"), refusal);
            Thread.sleep(1500); // another poll: the unchanged bad pair is not retried in a loop
            try (TlsSipClient after = new TlsSipClient(gw.trunkPort(), rootFile)) {
                assertEquals(second.certificate().getSerialNumber(), after.peerCertificate().getSerialNumber());
            }
            long refusals = gw.logLines().stream()
                    .filter(l -> l.contains("does not belong to the certificate O=trunkgate, CN=reload-3.example")).count();
            assertTrue(refusals <= 2, "one refusal per change of the files, got " + refusals);
        }
    }

    private static CertificateIssuer.Issued leaf(String name, CertificateIssuer.Issued issuer) {
        return CertificateIssuer.leaf(name).dns(name, "localhost").issuedBy(issuer);
    }
}
