package io.trunkgate.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.trunkgate.harness.Http;
import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.Peers;
import io.trunkgate.peers.Sipp;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus server (Debian's prometheus) scrapes the gateway's /observe/metrics on loopback every second: the
 * target is up, and the call counters match the SIPp calls made through the gateway (issue #14).
 */
class PrometheusScrapeTest {

    private static final int CALLS = 12;

    @Test
    @DisplayName("Prometheus scrapes the gateway: target up, trunkgate_calls_* match the SIPp calls")
    void prometheusCountsTheCalls() throws Exception {
        String prometheus = Peers.require("prometheus");
        Peers.require("sipp");
        Peers.require("stunnel4");
        try (InboundCalls calls = new InboundCalls(Map.of(), "udp")) {
            int promPort = RunningGateway.freePort();
            Path dir = Files.createTempDirectory("prometheus");
            Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  scrape_timeout: 1s",
                    "scrape_configs:",
                    "  - job_name: trunkgate",
                    "    metrics_path: /observe/metrics",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + calls.gateway.managementPort() + "']",
                    ""));
            Process server = new ProcessBuilder(prometheus, "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String api = "http://127.0.0.1:" + promPort;
                Sipp.Result[] r = calls.call("uac.xml", "uas.xml", CALLS);
                r[0].assertCalls("caller", CALLS);
                r[1].assertCalls("callee", CALLS);
                assertEquals(1.0, await(api, "up{job=\"trunkgate\"}", 1.0, dir), "the target is up");
                assertEquals(CALLS, await(api, "sum(trunkgate_calls_started_total{trunk=\"test\",direction=\"inbound\"})",
                        CALLS, dir));
                assertEquals(CALLS, await(api, "sum(trunkgate_calls_answered_total{trunk=\"test\",direction=\"inbound\"})",
                        CALLS, dir));
                assertEquals(CALLS, await(api, "sum(trunkgate_sip_messages_received_total{side=\"trunk\",message=\"INVITE\"})",
                        CALLS, dir));
                assertEquals(CALLS, await(api, "sum(trunkgate_call_setup_seconds_count{trunk=\"test\"})", CALLS, dir));
            } finally {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The query's single value once it equals {@code expected} (Prometheus scrapes every second), else its last value. */
    private static double await(String api, String query, double expected, Path dir) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(45));
        double last = Double.NaN;
        String body = "";
        while (Instant.now().isBefore(end)) {
            try {
                Http.Response r = Http.get(api + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
                body = r.body();
                if (r.status() == 200) {
                    JsonArray result = (JsonArray) ((JsonObject) ((JsonObject) Jsoner.deserialize(body)).get("data")).get("result");
                    if (!result.isEmpty()) {
                        last = Double.parseDouble(((JsonArray) ((JsonObject) result.get(0)).get("value")).get(1).toString());
                        if (last == expected) {
                            return last;
                        }
                    }
                }
            } catch (java.net.ConnectException e) {
                body = "prometheus not listening yet";
            }
            Thread.sleep(500);
        }
        String log = Peers.logText(dir.resolve("prometheus.log"));
        assertTrue(false, query + " stayed " + last + " (expected " + expected + "); last answer: " + body
                + "\nprometheus log tail:\n" + log.substring(Math.max(0, log.length() - 2000)));
        return last;
    }
}
