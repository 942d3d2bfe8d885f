package io.trunkgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.trunkgate.harness.GatewayProcess;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.OpenSslClient;
import io.trunkgate.tls.DevPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged gateway as an operator runs it: {@code java @config/jvm.options -jar target/trunkgate.jar run} from the project root
 * with a PEM chain and key from outside, checked with openssl s_client (TLS-3..TLS-6, TLS-9).
 */
class GatewayJarIT {

    private static GatewayProcess gateway;
    private static int port;
    private static DevPki pki;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("trunkgate-it");
        assertEquals(0, run(List.of("pki", "dev", "--out", dir.toString(), "--name", "sbc.example.com")).exitValue());
        pki = DevPki.ensure(dir, List.of("sbc.example.com"));
        port = RunningGateway.freePort();
        gateway = GatewayProcess.run(List.of("@config/jvm.options", "-Dtrunkgate.trunk.host=127.0.0.1",
                "-Dtrunkgate.trunk.port=" + port, "-Dtrunkgate.inside.port=" + RunningGateway.freePort(),
                "-Dtrunkgate.tls.certificate=" + pki.serverChain(), "-Dtrunkgate.tls.private-key=" + pki.serverKey()));
    }

    private static String readyLine() throws InterruptedException {
        return gateway.awaitLog(java.time.Duration.ofSeconds(1), "trunkgate ready");
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.terminate();
        gateway.waitFor(java.time.Duration.ofSeconds(20));
        gateway.close();
    }

    private static String java() {
        return GatewayProcess.java();
    }

    private static Process run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", "target/trunkgate.jar"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p;
    }

    @Test
    void tls3_readiness_line_names_the_outside_certificate() throws InterruptedException {
        String line = readyLine();
        assertTrue(line.contains("127.0.0.1:" + port) && line.contains("SANs=localhost,sbc.example.com")
                && line.contains("chain=2"), line);
    }

    @ParameterizedTest(name = "TLS-5 {0} accepted")
    @ValueSource(strings = {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-SHA384",
            "AES256-SHA256", "AES256-SHA"})
    void tls5_spec_suites(String cipher) throws Exception {
        OpenSslClient.Result r = OpenSslClient.handshake(port, pki.root(), "-tls1_2", "-cipher", cipher, "-curves", "P-384");
        assertTrue(r.connected(), r.output());
        assertEquals(2, r.certificatesSent(), "TLS-9");
    }

    @ParameterizedTest(name = "refused: {0}")
    @ValueSource(strings = {"-tls1_3", "-tls1_1|-cipher|DEFAULT:@SECLEVEL=0", "-tls1|-cipher|DEFAULT:@SECLEVEL=0",
            "-tls1_2|-cipher|ECDHE-RSA-AES128-SHA256", "-tls1_2|-cipher|AES128-GCM-SHA256",
            "-tls1_2|-cipher|ECDHE-RSA-AES256-SHA", "-tls1_2|-curves|prime256v1|-cipher|ECDHE-RSA-AES256-GCM-SHA384",
            "-tls1_2|-curves|X25519|-cipher|ECDHE-RSA-AES256-GCM-SHA384"})
    void tls4_tls5_tls6_outside_the_profile(String options) throws Exception {
        OpenSslClient.Result r = OpenSslClient.handshake(port, pki.root(), options.split("\\|"));
        assertFalse(r.connected(), r.output());
    }

    @Test
    void a_missing_certificate_file_stops_start_up_with_a_message_and_exit_2() throws Exception {
        List<String> cmd = List.of(java(), "-Dtrunkgate.trunk.port=" + RunningGateway.freePort(),
                "-Dtrunkgate.tls.certificate=/nonexistent/chain.pem", "-Dtrunkgate.tls.private-key=/nonexistent/key.pem",
                "-jar", "target/trunkgate.jar", "run");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, p.exitValue());
        assertTrue(out.contains("no such file /nonexistent/chain.pem"), out);
    }

    @Test
    void unknown_command_exits_2() throws Exception {
        assertEquals(2, run(List.of("frobnicate")).exitValue());
    }
}
