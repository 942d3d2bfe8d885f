package io.trunkgate.observe;

import java.io.CharArrayWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The step {@code cdrJson} of routes/cdr.yaml: a call detail record (the body, a JSON object: a Map of strings,
 * numbers, booleans, lists and maps) as one line of JSON, for a file or a message broker. Written with Jackson's
 * streaming generator: camel-util-json's {@code toJson()} (an EnumSet and a string copy per value) was most of the
 * CDR thread's CPU at 1,000 calls/s, and Simple's {@code ${body.toJson()}} before it a reflective lookup per record
 * (docs/benchmarks.md, operations on).
 */
public class CdrJsonProcessor implements Processor {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Each thread's line buffer, emptied and used again: a new {@code StringWriter} per record was ~4 KB of the CDR
     * thread's bytes (its 1 KB of chars, grown once for a record of media counters, then copied by toString).
     */
    private static final ThreadLocal<CharArrayWriter> LINE = ThreadLocal.withInitial(() -> new CharArrayWriter(2048));

    @Override
    public void process(Exchange exchange) throws IOException {
        if (exchange.getIn().getBody() instanceof Map<?, ?> record) {
            CharArrayWriter line = LINE.get();
            line.reset();
            try (JsonGenerator out = JSON.createGenerator(line)) {
                write(out, record);
            }
            exchange.getIn().setBody(line.toString());
        }
    }

    private static void write(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String s) {
            out.writeString(s);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            out.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            out.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof BigDecimal d) {
            out.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            out.writeNumber(i);
        } else if (value instanceof Boolean b) {
            out.writeBoolean(b);
        } else if (value instanceof Map<?, ?> map) {
            out.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.writeFieldName(String.valueOf(e.getKey()));
                write(out, e.getValue());
            }
            out.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            out.writeStartArray();
            for (Object item : list) {
                write(out, item);
            }
            out.writeEndArray();
        } else {
            out.writeString(value.toString());
        }
    }
}
