package io.trunkgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.OpenSslClient;
import io.trunkgate.peers.TlsSipClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The trunk listener's TLS profile, from the JDK's own client and from openssl s_client (TLS-3..TLS-6, TLS-9, TLS-2). */
class TrunkListenerHandshakeTest {

    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = RunningGateway.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    /** A SunJSSE client (an independent TLS stack) that trusts only the dev root: proves the chain is complete (TLS-9). */
    private static SSLSocket jdkClient(String protocol, String suite) throws Exception {
        SSLContext ctx = TlsSipClient.sunJsse(gateway.pki().resolve(DevPki.ROOT), "TLS");
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", gateway.trunkPort());
        s.setSoTimeout(5000);
        javax.net.ssl.SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setProtocols(new String[] {protocol});
        p.setCipherSuites(new String[] {suite});
        s.setSSLParameters(p);
        return s;
    }

    @ParameterizedTest(name = "TLS-5 JDK client with {0}")
    @ValueSource(strings = {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA"})
    void tls5_each_spec_suite_is_accepted_and_the_chain_verifies_from_the_root_alone(String suite) throws Exception {
        try (SSLSocket s = jdkClient("TLSv1.2", suite)) {
            s.startHandshake();
            assertEquals("TLSv1.2", s.getSession().getProtocol());
            assertEquals(suite, s.getSession().getCipherSuite());
            Certificate[] sent = s.getSession().getPeerCertificates();
            assertEquals(2, sent.length, "TLS-9: leaf and intermediate are sent");
        }
    }

    @Test
    void tls4_a_tls13_only_jdk_client_is_refused() throws Exception {
        try (SSLSocket s = jdkClient("TLSv1.3", "TLS_AES_128_GCM_SHA256")) {
            assertThrows(SSLException.class, s::startHandshake);
        }
        gateway.awaitLog(Duration.ofSeconds(5), "offered only TLS 1.3", "TLS-4", "TLS-2");
    }

    @Test
    void tls5_a_jdk_client_with_a_suite_outside_the_list_is_refused() throws Exception {
        try (SSLSocket s = jdkClient("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")) {
            assertThrows(SSLException.class, s::startHandshake);
        }
    }

    @ParameterizedTest(name = "TLS-5 openssl with {0}")
    @ValueSource(strings = {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-SHA384",
            "AES256-SHA256", "AES256-SHA"})
    void tls5_openssl_each_spec_suite(String cipher) throws Exception {
        OpenSslClient.Result r = OpenSslClient.handshake(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT),
                "-tls1_2", "-cipher", cipher, "-curves", "P-384");
        assertTrue(r.connected(), r.output());
        assertEquals(cipher, r.cipher());
        assertEquals(2, r.certificatesSent(), "TLS-9: leaf + intermediate");
    }

    @ParameterizedTest(name = "TLS-5 openssl refused {0}")
    @ValueSource(strings = {"ECDHE-RSA-AES128-SHA256", "AES128-GCM-SHA256", "ECDHE-RSA-AES256-SHA", "AES128-SHA",
            "ECDHE-RSA-CHACHA20-POLY1305"})
    void tls5_openssl_suites_outside_the_list_fail(String cipher) throws Exception {
        OpenSslClient.Result r = OpenSslClient.handshake(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT),
                "-tls1_2", "-cipher", cipher);
        assertFalse(r.connected(), r.output());
    }

    @ParameterizedTest(name = "TLS-4 openssl {0} is refused")
    @ValueSource(strings = {"-tls1_3", "-tls1_1", "-tls1"})
    void tls4_other_protocol_versions_fail(String version) throws Exception {
        OpenSslClient.Result r = OpenSslClient.handshake(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT),
                version, "-cipher", "DEFAULT:@SECLEVEL=0");
        assertFalse(r.connected(), r.output());
    }

    @ParameterizedTest(name = "TLS-6 ECDHE with only {0} fails")
    @ValueSource(strings = {"prime256v1", "X25519", "secp521r1"})
    void tls6_other_curves_fail(String curve) throws Exception {
        OpenSslClient.Result r = OpenSslClient.handshake(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT),
                "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256", "-curves", curve);
        assertFalse(r.connected(), r.output());
    }

    @Test
    void tls6_secp384r1_is_the_curve_used() throws Exception {
        OpenSslClient.Result r = OpenSslClient.handshake(gateway.trunkPort(), gateway.pki().resolve(DevPki.ROOT),
                "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384", "-curves", "X25519:P-256:P-384");
        assertTrue(r.connected(), r.output());
        assertTrue(r.output().matches("(?s).*Server Temp Key: ECDH, (secp384r1|P-384), 384 bits.*"),
                "the server's ECDHE key is on P-384 although X25519 and P-256 were offered first: " + r.output());
    }

    @Test
    void tls2_plain_sip_to_the_tls_port_is_refused_and_named() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gateway.trunkPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("OPTIONS sip:localhost SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "the gateway closes the connection");
        }
        String line = gateway.awaitLog(Duration.ofSeconds(5), "sent plain SIP", "to the TLS port " + gateway.trunkPort(),
                "both ends of a trunk must use the same transport (TLS-2)");
        assertTrue(line.contains("OPTIONS sip:localhost SIP/2.0"), line);
    }

    @Test
    void tls3_readiness_line_names_address_profile_and_certificate() throws Exception {
        String line = gateway.awaitLog(Duration.ofSeconds(5), "trunkgate ready: SIP over TLS on 127.0.0.1:" + gateway.trunkPort());
        for (String part : List.of("protocols=TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "curves=secp384r1",
                "SANs=localhost", "chain=2", "expires=", "client-auth=none")) {
            assertTrue(line.contains(part), part + " missing in: " + line);
        }
    }
}
