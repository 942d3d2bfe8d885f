package io.trunkgate.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.trunkgate.peers.Peers;
import io.trunkgate.peers.Sipp;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Call detail records through direct:cdr (issue #14): after SIPp calls answered, busy (486), cancelled and refused
 * for an unreachable inside (503), the file routes/cdr.yaml writes holds one JSON record per call with the right
 * status, trunk, direction and who ended it; a user's route replacing routes/cdr.yaml gets them instead.
 */
class CallDetailRecordsTest {

    private static List<String> awaitLines(Path file, int n) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        List<String> lines = List.of();
        while (Instant.now().isBefore(end)) {
            if (Files.exists(file)) {
                lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
                if (lines.size() >= n) {
                    Thread.sleep(300); // no more than n must come
                    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(file + " holds " + lines.size() + " record(s), not " + n + ": " + lines);
    }

    @Test
    @DisplayName("one JSON record per call: answered (BYE), busy 486, cancelled 487")
    void recordsPerCall() throws Exception {
        Peers.require("sipp");
        Peers.require("stunnel4");
        Path dir = Files.createTempDirectory("cdr");
        try (InboundCalls calls = new InboundCalls(Map.of("trunkgate.cdr.enabled", "true",
                "trunkgate.cdr.dir", dir.toString(), "trunkgate.cdr.file", "calls.jsonl"), "udp")) {
            Sipp.Result[] answered = calls.call("uac.xml", "uas.xml", 3);
            answered[0].assertCalls("caller", 3);
            Sipp.Result[] busy = calls.call("uac-busy.xml", "uas-busy.xml", 2);
            busy[0].assertCalls("caller", 2);
            Sipp.Result[] cancelled = calls.call("uac-cancel.xml", "uas-cancel.xml", 2);
            cancelled[0].assertCalls("caller", 2);

            List<String> lines = awaitLines(dir.resolve("calls.jsonl"), 7);
            assertEquals(7, lines.size(), String.join("\n", lines));
            List<JsonObject> records = new ArrayList<>();
            for (String line : lines) {
                records.add((JsonObject) Jsoner.deserialize(line)); // each line is one valid JSON object
            }
            assertEquals(7, records.stream().map(r -> r.get("call_id")).distinct().count(), "one record per call");
            for (JsonObject r : records) {
                assertEquals("test", r.get("trunk"), r.toJson());
                assertEquals("inbound", r.get("direction"), r.toJson());
                assertEquals(InboundCalls.NUMBER, r.get("to"), r.toJson());
                assertEquals("127.0.0.1", r.get("request_uri_host"), r.toJson()); // SIPp dials the address it sends to
                assertNotNull(r.get("start"), r.toJson());
                assertNotNull(r.get("end"), r.toJson());
                assertTrue(r.get("tls_cipher").toString().startsWith("TLS_ECDHE_RSA_"), r.toJson());
            }
            List<JsonObject> ok = records.stream().filter(r -> ((Number) r.get("final_status")).intValue() == 200).toList();
            assertEquals(3, ok.size(), lines.toString());
            for (JsonObject r : ok) {
                assertEquals("caller", r.get("ended_by"), r.toJson());
                assertEquals("BYE", r.get("end_reason"), r.toJson());
                assertNotNull(r.get("answer"), r.toJson());
                assertTrue(r.get("media") instanceof Map, "media counters of an answered call: " + r.toJson());
            }
            List<JsonObject> b = records.stream().filter(r -> ((Number) r.get("final_status")).intValue() == 486).toList();
            assertEquals(2, b.size(), lines.toString());
            b.forEach(r -> assertEquals("callee", r.get("ended_by"), r.toJson()));
            b.forEach(r -> assertEquals(0.0, ((Number) r.get("duration_seconds")).doubleValue(), r.toJson()));
            List<JsonObject> c = records.stream().filter(r -> ((Number) r.get("final_status")).intValue() == 487).toList();
            assertEquals(2, c.size(), lines.toString());
            c.forEach(r -> assertEquals("caller", r.get("ended_by"), r.toJson()));
            c.forEach(r -> assertEquals("CANCEL", r.get("end_reason"), r.toJson()));

            // the records' counter, read after a GC (Micrometer holds a meter's state object weakly)
            System.gc();
            String metrics = calls.gateway.get("/observe/metrics").body();
            assertTrue(metrics.contains("trunkgate_cdr_records_total{outcome=\"sent\"} 7.0"), metrics);
            assertTrue(metrics.contains("trunkgate_calls_failed_total{direction=\"inbound\",status_class=\"4xx\",trunk=\"test\"} 4.0"),
                    metrics);
        }
    }

    @Test
    @DisplayName("unreachable inside (503), records to a user's route that replaces routes/cdr.yaml")
    void userRouteGetsTheRecords() throws Exception {
        Peers.require("sipp");
        Peers.require("stunnel4");
        Path dir = Files.createTempDirectory("cdr");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        for (String shipped : List.of("listeners.yaml", "call-flow.yaml", "management.yaml")) {
            Files.copy(Path.of("routes", shipped), routes.resolve(shipped));
        }
        Files.writeString(routes.resolve("my-cdr.yaml"), String.join("\n",
                "- route:",
                "    id: my-cdr",
                "    from:",
                "      uri: direct:cdr",
                "      steps:",
                "        - setBody:",
                "            simple: \"mine ${body[call_id]} ${body[final_status]} ${body[ended_by]} ${body[trunk]}\"",
                "        - to:",
                "            uri: \"file:" + dir + "\"",
                "            parameters:",
                "              fileName: mine.txt",
                "              fileExist: Append",
                "              appendChars: \"\\\\n\"",
                ""));
        try (InboundCalls calls = new InboundCalls(Map.of("trunkgate.cdr.enabled", "true",
                "trunkgate.cdr.dir", dir.toString(), "trunkgate.cdr.file", "calls.jsonl",
                "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml"), "tcp")) {
            Sipp.Result[] r = calls.call("uac-or-503.xml", null, 2);
            assertEquals(0, r[0].exitCode(), r[0].output());
            List<String> lines = awaitLines(dir.resolve("mine.txt"), 2);
            assertEquals(2, lines.size(), lines.toString());
            for (String line : lines) {
                assertTrue(line.startsWith("mine ") && line.endsWith(" 503 gateway test"), line);
            }
            assertFalse(Files.exists(dir.resolve("calls.jsonl")), "the shipped route is replaced, not beside it");
        }
    }
}
