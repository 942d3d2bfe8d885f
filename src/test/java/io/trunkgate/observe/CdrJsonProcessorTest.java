package io.trunkgate.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigDecimal;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The step cdrJson: a record (a Map) becomes one line of JSON that reads back as the same record; the record's times. */
class CdrJsonProcessorTest {

    @Test
    @DisplayName("every value kind and every character that needs escaping survive the round trip, on one line")
    void recordReadsBackTheSame() throws Exception {
        JsonObject media = new JsonObject();
        media.put("packets", 1500L);
        media.put("drops", new JsonObject());
        JsonObject record = new JsonObject();
        record.put("call_id", "a\"b\\c/d\u0001\u00e9\u4e2d@198.51.100.7");
        record.put("from", "+13175550100");
        record.put("answer", null);
        record.put("final_status", 200);
        record.put("duration_seconds", 3.25);
        record.put("failed_over", List.of("lb01.example.com", "lb02.example.com"));
        record.put("srtp", Boolean.TRUE);
        record.put("end_reason", "line\r\nbreak\ttab");
        record.put("media", media);

        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(record);
        new CdrJsonProcessor().process(exchange);
        String line = exchange.getIn().getBody(String.class);

        assertFalse(line.contains("\n") || line.contains("\r"), line);
        JsonObject back = (JsonObject) Jsoner.deserialize(line);
        assertEquals(record.get("call_id"), back.get("call_id"));
        assertEquals(record.get("end_reason"), back.get("end_reason"));
        assertEquals(null, back.get("answer"));
        assertEquals(true, back.containsKey("answer"));
        assertEquals(new BigDecimal("200"), back.get("final_status"));
        assertEquals(new BigDecimal("3.25"), back.get("duration_seconds"));
        assertEquals(List.of("lb01.example.com", "lb02.example.com"), back.get("failed_over"));
        assertEquals(Boolean.TRUE, back.get("srtp"));
        assertEquals(new BigDecimal("1500"), ((JsonObject) back.get("media")).get("packets"));
        assertEquals(new JsonObject(), ((JsonObject) back.get("media")).get("drops"));
        assertEquals(List.copyOf(record.keySet()), List.copyOf(back.keySet()), "field order as docs/operations.md lists it");
    }

    @Test
    @DisplayName("a second record on the same thread is its own line: the reused buffer keeps nothing of the first")
    void secondRecordOnTheSameThread() throws Exception {
        JsonObject first = new JsonObject();
        first.put("call_id", "x".repeat(3000)); // larger than the buffer's first size
        JsonObject second = new JsonObject();
        second.put("call_id", "y");
        Exchange a = new DefaultExchange(new DefaultCamelContext());
        a.getIn().setBody(first);
        new CdrJsonProcessor().process(a);
        Exchange b = new DefaultExchange(new DefaultCamelContext());
        b.getIn().setBody(second);
        new CdrJsonProcessor().process(b);
        assertEquals("{\"call_id\":\"" + "x".repeat(3000) + "\"}", a.getIn().getBody());
        assertEquals("{\"call_id\":\"y\"}", b.getIn().getBody());
    }

    @Test
    @DisplayName("the record's times: ISO-8601 UTC as Instant prints them, milliseconds when not 0, per second cached")
    void recordTimes() {
        long[] samples = {0L, 1L, 999L, 1000L, 1_765_000_000_000L, 1_765_000_000_007L, 1_765_000_000_070L,
                1_765_000_000_700L, 1_765_000_000_999L, 1_765_000_001_000L, 1_765_000_000_500L, 253_402_300_799_999L};
        for (long millis : samples) {
            assertEquals(java.time.Instant.ofEpochMilli(millis).toString(), CallRecord.iso(millis), "at " + millis);
        }
        for (long millis = 1_765_000_000_000L; millis < 1_765_000_003_000L; millis += 13) {
            assertEquals(java.time.Instant.ofEpochMilli(millis).toString(), CallRecord.iso(millis), "at " + millis);
        }
    }

    @Test
    @DisplayName("a body that is no record (already a line) passes unchanged")
    void otherBodiesPass() throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody("{\"call_id\":\"x\"}");
        new CdrJsonProcessor().process(exchange);
        assertEquals("{\"call_id\":\"x\"}", exchange.getIn().getBody());
    }
}
