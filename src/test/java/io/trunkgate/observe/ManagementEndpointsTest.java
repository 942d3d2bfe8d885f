package io.trunkgate.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.trunkgate.admission.CallAdmission;
import io.trunkgate.cert.Pem;
import io.trunkgate.flow.TrunkgateBeans;
import io.trunkgate.harness.Http;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.peers.Peers;
import io.trunkgate.tls.CertificateIssuer;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The management port of a running gateway over real HTTP (issue #14): health, readiness and liveness, the
 * Prometheus exposition checked by promtool, the dev consoles; readiness follows the listeners and the drain; an
 * expired own certificate turns health DOWN naming CERT-8.
 */
class ManagementEndpointsTest {

    /** A gateway with one trunk "test": remote localhost, the PBX on UDP. */
    static RunningGateway gateway(Map<String, String> more) throws Exception {
        Path config = TrunkConfigDir.create("localhost", RunningGateway.freePort(),
                "sip:127.0.0.1:" + RunningGateway.freePort() + ";transport=udp", "off");
        Map<String, String> overrides = new java.util.HashMap<>(more);
        overrides.put("trunkgate.config.dir", config.toString());
        return RunningGateway.start(overrides);
    }

    private static JsonObject json(Http.Response r) throws Exception {
        return (JsonObject) Jsoner.deserialize(r.body());
    }

    private static JsonObject check(JsonObject health, String name) {
        for (Object o : (JsonArray) health.get("checks")) {
            JsonObject c = (JsonObject) o;
            if (name.equals(c.get("name"))) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + health.toJson());
    }

    @Test
    @DisplayName("health, readiness and liveness over HTTP; readiness DOWN while a listener is down and while draining")
    void healthFollowsListenersAndDrain() throws Exception {
        try (RunningGateway gateway = gateway(Map.of())) {
            Http.Response ready = gateway.get("/observe/health/ready");
            assertEquals(200, ready.status(), ready.body());
            assertTrue(ready.contentType().startsWith("application/json"), ready.contentType());
            JsonObject body = json(ready);
            assertEquals("UP", body.get("status"), ready.body());
            assertEquals("UP", check(body, "trunkgate-listeners").get("status"));
            assertEquals("UP", check(body, "trunkgate-media").get("status"));
            assertEquals("UP", check(body, "trunkgate-certificate").get("status"));

            Http.Response live = gateway.get("/observe/health/live");
            assertEquals(200, live.status(), live.body());
            assertEquals("UP", json(live).get("status"));

            Http.Response all = gateway.get("/observe/health");
            assertEquals(200, all.status(), all.body());
            assertEquals("UP", check(json(all), "trunkgate-trunk-test").get("status"), all.body());

            // a listener not bound: readiness DOWN, naming it
            gateway.camel().getRouteController().stopRoute("trunk-tls-listener");
            Http.Response down = gateway.get("/observe/health/ready");
            assertEquals(503, down.status(), down.body());
            JsonObject listeners = check(json(down), "trunkgate-listeners");
            assertEquals("DOWN", listeners.get("status"));
            assertTrue(((JsonObject) listeners.get("details")).get("trunk-tls-listener").toString().contains("Stopped"),
                    down.body());
            gateway.camel().getRouteController().startRoute("trunk-tls-listener");
            assertEquals(200, gateway.get("/observe/health/ready").status());

            // draining (SIGTERM): readiness DOWN, liveness still UP
            CallAdmission admission = gateway.camel().getRegistry().lookupByNameAndType(TrunkgateBeans.CALL_ADMISSION,
                    CallAdmission.class);
            admission.drain(); // no call in flight: returns at once, the gateway stays draining
            Http.Response draining = gateway.get("/observe/health/ready");
            assertEquals(503, draining.status(), draining.body());
            assertTrue(check(json(draining), "trunkgate-listeners").get("message").toString().contains("draining"),
                    draining.body());
            assertEquals(200, gateway.get("/observe/health/live").status());
        }
    }

    @Test
    @DisplayName("/observe/metrics passes promtool check metrics and carries the trunkgate_ meters")
    void metricsPassPromtool() throws Exception {
        String promtool = Peers.require("promtool");
        try (RunningGateway gateway = gateway(Map.of())) {
            Http.Response metrics = gateway.get("/observe/metrics");
            assertEquals(200, metrics.status());
            assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
            for (String name : List.of("trunkgate_tls_certificate_expiry_timestamp_seconds", "trunkgate_media_ports_free",
                    "trunkgate_calls_active{trunk=\"test\"}", "trunkgate_remote_host_up{host=\"localhost\",trunk=\"test\"}",
                    "trunkgate_media_dropped_packets_total{cause=\"auth_failed\",direction=\"trunk_to_inside\"}",
                    "trunkgate_crl_fetches_total{outcome=\"failed\"}", "trunkgate_hep_traces_total{outcome=\"dropped\"}",
                    "trunkgate_draining ")) {
                assertTrue(metrics.body().contains(name), name + " missing from:\n" + metrics.body());
            }
            Path file = Files.createTempFile("metrics", ".txt");
            Files.writeString(file, metrics.body());
            Process p = new ProcessBuilder(promtool, "check", "metrics").redirectInput(file.toFile())
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.exitValue(), "promtool check metrics: " + out);
            assertTrue(out.isBlank(), "promtool found problems: " + out);
        }
    }

    @Test
    @DisplayName("the meters count what the gateway sees: messages by side and kind, a 400 by cause, a TLS-2 mismatch")
    void metersCountTraffic() throws Exception {
        try (RunningGateway gateway = gateway(Map.of());
                java.net.DatagramSocket pbx = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            pbx.setSoTimeout(5000);
            java.net.InetSocketAddress inside = new java.net.InetSocketAddress("127.0.0.1", gateway.insidePort());
            String options = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + pbx.getLocalPort()
                    + ";branch=z9hG4bK-m1\r\nFrom: <sip:pbx@127.0.0.1>;tag=1\r\nTo: <sip:gw@127.0.0.1>\r\n"
                    + "Call-ID: meters-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            String malformed = options.replace("CSeq: 1 OPTIONS", "CSeq: x OPTIONS").replace("z9hG4bK-m1", "z9hG4bK-m2");
            byte[] buf = new byte[4096];
            for (String m : List.of(options, malformed)) {
                byte[] bytes = m.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                pbx.send(new java.net.DatagramPacket(bytes, bytes.length, inside));
                java.net.DatagramPacket answer = new java.net.DatagramPacket(buf, buf.length);
                pbx.receive(answer);
            }
            // plain SIP on the TLS port: a transport mismatch (TLS-2), its handshake fails
            try (java.net.Socket plain = new java.net.Socket("127.0.0.1", gateway.trunkPort())) {
                plain.getOutputStream().write(options.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                plain.setSoTimeout(5000);
                while (plain.getInputStream().read(buf) >= 0) {
                    // until the gateway closes it
                }
            }
            String body = "";
            java.time.Instant end = java.time.Instant.now().plusSeconds(5);
            List<String> expected = List.of(
                    "trunkgate_sip_messages_received_total{message=\"OPTIONS\",side=\"inside\",transport=\"udp\"} 2.0",
                    "trunkgate_sip_messages_sent_total{message=\"2xx\",side=\"inside\",transport=\"udp\"} 1.0",
                    "trunkgate_sip_messages_sent_total{message=\"4xx\",side=\"inside\",transport=\"udp\"} 1.0",
                    "trunkgate_sip_parse_refusals_total{cause=\"cseq\"} 1.0",
                    "trunkgate_tls_handshake_failures_total{cause=\"transport_mismatch\",role=\"server\"} 1.0",
                    "trunkgate_connections_closed_total{cause=\"transport_mismatch\",role=\"server\",side=\"trunk\"} 1.0");
            while (java.time.Instant.now().isBefore(end)) {
                body = gateway.get("/observe/metrics").body();
                String b = body;
                if (expected.stream().allMatch(b::contains)) {
                    return;
                }
                Thread.sleep(100);
            }
            for (String e : expected) {
                assertTrue(body.contains(e), e + " missing from:\n" + body);
            }
        }
    }

    @Test
    @DisplayName("the trunkgate dev console (text and JSON) and Camel's own consoles through the same route")
    void devConsoles() throws Exception {
        try (RunningGateway gateway = gateway(Map.of())) {
            Http.Response text = gateway.get("/observe/dev/trunkgate");
            assertEquals(200, text.status(), text.body());
            assertTrue(text.body().contains("trunk test") && text.body().contains("localhost")
                    && text.body().contains("certificate") && text.body().contains("media ports free"), text.body());
            Http.Response json = gateway.get("/observe/dev/trunkgate?format=json");
            JsonObject j = json(json);
            JsonObject trunk = (JsonObject) ((JsonArray) j.get("trunks")).get(0);
            assertEquals("test", trunk.get("id"));
            assertTrue(((JsonObject) j.get("certificate")).get("names").toString().contains("localhost"), json.body());
            Http.Response health = gateway.get("/observe/dev/health");
            assertEquals(200, health.status(), health.body());
            assertTrue(health.body().contains("context: UP"), health.body()); // Camel's own health console
            Http.Response jvm = gateway.get("/observe/dev/jvm?format=json");
            assertEquals(200, jvm.status(), jvm.body());
            assertTrue(jvm.body().contains("vmVersion") || jvm.body().contains("vmName"), jvm.body());
            Http.Response routes = gateway.get("/observe/dev/route"); // reads Camel's JMX instrumentation
            assertEquals(200, routes.status(), routes.body());
            assertTrue(routes.body().contains("trunk-tls-listener") && routes.body().contains("Started"), routes.body());
            assertEquals(404, gateway.get("/observe/dev/no-such-console").status());
        }
    }

    /** Our certificate for localhost, valid from {@code notBefore} to {@code notAfter}: the keys that make it ours. */
    static Map<String, String> ourCertificate(Instant notBefore, Instant notAfter) throws Exception {
        CertificateIssuer.Issued ca = CertificateIssuer.ca("Test CA").selfSigned();
        CertificateIssuer.Issued leaf = CertificateIssuer.leaf("localhost").dns("localhost").validity(notBefore, notAfter)
                .issuedBy(ca);
        Path dir = Files.createTempDirectory("our-cert");
        Path chain = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        Pem.write(chain, leaf.certificate(), ca.certificate());
        Pem.write(key, leaf.key());
        return Map.of("trunkgate.tls.certificate", chain.toString(), "trunkgate.tls.private-key", key.toString());
    }

    @Test
    @DisplayName("CERT-8: an expired certificate of ours turns health and readiness DOWN, naming CERT-8")
    void expiredCertificateIsDown() throws Exception {
        try (RunningGateway gateway = gateway(ourCertificate(Instant.now().minus(Duration.ofDays(400)),
                Instant.now().minus(Duration.ofDays(2))))) {
            for (String path : List.of("/observe/health", "/observe/health/ready")) {
                Http.Response r = gateway.get(path);
                assertEquals(503, r.status(), r.body());
                JsonObject cert = check(json(r), "trunkgate-certificate");
                assertEquals("DOWN", cert.get("status"));
                assertTrue(cert.get("message").toString().contains("CERT-8"), r.body());
                assertTrue(cert.get("message").toString().contains("expired"), r.body());
            }
            assertEquals(200, gateway.get("/observe/health/live").status(), "liveness: a restart would not help");
        }
    }

    @Test
    @DisplayName("readiness DOWN when the media range is exhausted; a trunk whose every host is DOWN; our certificate "
            + "within expiry-warning-days (CERT-8, ROUTE-5)")
    void mediaTrunkAndCertificateStates() throws Exception {
        Map<String, String> overrides = new java.util.HashMap<>(ourCertificate(Instant.now().minus(Duration.ofDays(300)),
                Instant.now().plus(Duration.ofDays(5)).plusSeconds(3600)));
        int low = RunningGateway.freeUdpRange(8); // eight ports: two calls
        overrides.putAll(Map.of("trunkgate.tls.expiry-warning-days", "30",
                "trunkgate.media.port-range", low + "-" + (low + 7), "trunkgate.overload.media-fill", "0",
                // the trunk's remote (localhost on a port nobody listens on) refuses every probe
                "trunkgate.probe.interval", "1s", "trunkgate.probe.timeout", "500ms", "trunkgate.probe.down-after", "1"));
        try (RunningGateway gateway = gateway(overrides)) {
            Http.Response ready = gateway.get("/observe/health/ready");
            assertEquals(200, ready.status(), ready.body());
            JsonObject cert = check(json(ready), "trunkgate-certificate");
            assertEquals("UP", cert.get("status"), ready.body());
            assertEquals(5, ((Number) ((JsonObject) cert.get("details")).get("days_left")).intValue(), ready.body());
            assertTrue(((JsonObject) cert.get("details")).get("warning").toString().contains("CERT-8"), ready.body());

            // every port of the range taken: readiness DOWN naming the media relay, the check says why
            MediaRelayService relay = gateway.camel().getRegistry().lookupByNameAndType(TrunkgateBeans.MEDIA_RELAY,
                    MediaRelayService.class);
            for (int call = 0; call < 2; call++) {
                relay.relay().open("health-fill-" + call);
            }
            Http.Response full = gateway.get("/observe/health/ready");
            assertEquals(503, full.status(), full.body());
            JsonObject media = check(json(full), "trunkgate-media");
            assertEquals("DOWN", media.get("status"), full.body());
            assertEquals(0, ((Number) ((JsonObject) media.get("details")).get("ports_free")).intValue(), full.body());
            assertTrue(media.get("message").toString().contains("exhausted"), full.body());
            relay.relay().releaseAll("test");
            assertEquals(200, gateway.get("/observe/health/ready").status(), "ports back: ready again");

            // the trunk's only host fails its probe: the trunk's check DOWN in /observe/health, readiness untouched
            Instant end = Instant.now().plusSeconds(10);
            JsonObject trunk;
            Http.Response all;
            do {
                Thread.sleep(200);
                all = gateway.get("/observe/health");
                trunk = check(json(all), "trunkgate-trunk-test");
            } while (!"DOWN".equals(trunk.get("status")) && Instant.now().isBefore(end));
            assertEquals("DOWN", trunk.get("status"), all.body());
            assertEquals(503, all.status(), all.body());
            assertTrue(trunk.get("message").toString().contains("ROUTE-5"), all.body());
            assertTrue(((JsonObject) trunk.get("details")).values().stream().anyMatch(v -> v.toString().startsWith("DOWN")),
                    all.body());
            assertEquals(200, gateway.get("/observe/health/ready").status(), "one trunk's hosts do not stop the others' calls");
        }
    }
}
