package io.trunkgate.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.peers.SipWire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The torture messages of RFC 4475 section 3 (src/test/resources/rfc4475/*.msg), each sent over a real UDP socket and
 * a real TCP connection to a running gateway's inside listener, gets the answer its row of expected.tsv gives (issue
 * #17 item 4), and a normal OPTIONS on the same socket or connection is answered afterwards (on a new connection when
 * the answer closed it). The gateway's one trunk points at remote.invalid (it does not resolve): a request it forwards
 * comes back as its own 503 naming the unreachable next hop.
 */
class Rfc4475TortureTest {

    private static final Pattern CSEQ = Pattern.compile("(?im)^cseq[ \\t]*:[ \\t]*(.*?)[ \\t]*$");
    private static final AtomicInteger PROBES = new AtomicInteger();
    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        Path config = TrunkConfigDir.create("remote.invalid", 5061,
                "sip:127.0.0.1:" + RunningGateway.freePort() + ";transport=udp", "off");
        gateway = RunningGateway.start(Map.of("trunkgate.config.dir", config.toString(),
                "trunkgate.sip.message-timeout", "1s", "trunkgate.media.port-range", "31200-31299"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** One row of expected.tsv. */
    record Row(String name, String section, String udp, String tcp, String note) {
        @Override
        public String toString() {
            return name + " (RFC 4475 " + section + ")";
        }
    }

    static List<Row> table() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : resource("expected.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", 5);
            rows.add(new Row(f[0], f[1], f[2], f[3], f.length > 4 ? f[4] : ""));
        }
        return rows;
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Row row : table()) {
            out.add(Arguments.of(row, "udp"));
            out.add(Arguments.of(row, "tcp"));
        }
        return out.stream();
    }

    private static String resource(String name) throws IOException {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = Rfc4475TortureTest.class.getResourceAsStream("/rfc4475/" + name)) {
            assertNotNull(in, "missing test resource rfc4475/" + name);
            return in.readAllBytes();
        }
    }

    @Test
    void the_table_holds_every_torture_message_of_section_3() throws IOException {
        // 13 valid + 19 invalid (3.1), 1 transaction layer (3.2), 15 application layer (3.3), 1 backward compatibility (3.4)
        assertEquals(49, table().size());
        for (Row row : table()) {
            assertTrue(bytes(row.name() + ".msg").length > 0, row.name());
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("cases")
    void every_torture_message_gets_the_rfc_answer_and_the_next_options_is_answered(Row row, String transport)
            throws Exception {
        String expected = transport.equals("udp") ? row.udp() : row.tcp();
        if (expected.equals("-")) {
            return; // not a case of this transport (the row's note says why)
        }
        byte[] message = bytes(row.name() + ".msg");
        String text = new String(message, StandardCharsets.ISO_8859_1);
        String key = key(text);
        int port = gateway.insidePort();
        try (SipWire wire = transport.equals("udp") ? SipWire.udp(port) : SipWire.tcp(port)) {
            wire.send(message);
            boolean closes = expected.equals("close") || expected.endsWith("+close");
            String status = expected.replace("+close", "");
            String answer = finalAnswer(wire, key, expected.equals("none") || expected.equals("close") ? 1500 : 8000);
            switch (status) {
                case "none", "close" -> assertEquals(null, answer, row + ": no answer expected, got " + answer);
                case "forwarded" -> {
                    assertNotNull(answer, row + ": no answer");
                    assertEquals(503, SipWire.status(answer), row + ": " + answer);
                    assertTrue(answer.contains("unreachable"), row + ": not the proxy's own 503 for an unreachable next hop: " + answer);
                }
                default -> {
                    assertNotNull(answer, row + ": no answer, expected " + status);
                    assertEquals(Integer.parseInt(status), SipWire.status(answer), row + ": " + answer);
                    checkHeaders(row, answer);
                }
            }
            if (closes) {
                assertTrue(awaitClosed(wire), row + ": the connection stays open");
            }
            if (wire.closed()) {
                assertTrue(closes, row + ": the gateway closed the connection");
                try (SipWire fresh = SipWire.tcp(port)) {
                    assertOptionsAnswered(fresh, row);
                }
            } else {
                assertOptionsAnswered(wire, row);
            }
        }
        assertTrue(gateway.logLines().stream().noneMatch(l -> l.startsWith("ERROR")),
                () -> row + ": an ERROR line in the gateway's log: " + gateway.logLines().stream()
                        .filter(l -> l.startsWith("ERROR")).findFirst().orElse(""));
    }

    /** What identifies the answers to a message: its Call-ID, else its CSeq (3.3.1 has no Call-ID). */
    private static String key(String message) {
        String callId = SipWire.callId(message);
        if (callId != null) {
            return "Call-ID " + callId;
        }
        Matcher m = CSEQ.matcher(message);
        assertTrue(m.find(), "a torture message without Call-ID nor CSeq");
        return "CSeq " + m.group(1);
    }

    private static boolean answers(String response, String key) {
        if (key.startsWith("Call-ID ")) {
            return key.substring(8).equals(SipWire.callId(response));
        }
        Matcher m = CSEQ.matcher(response);
        return SipWire.callId(response) == null && m.find() && ("CSeq " + m.group(1)).equals(key);
    }

    /** The first final response to the message within {@code millis}, provisional ones and other calls' skipped. */
    private static String finalAnswer(SipWire wire, String key, int millis) throws IOException {
        long end = System.currentTimeMillis() + millis;
        long left;
        while ((left = end - System.currentTimeMillis()) > 0) {
            String m = wire.receive((int) left);
            if (m == null) {
                if (wire.closed()) {
                    return null;
                }
                continue;
            }
            if (answers(m, key) && SipWire.status(m) >= 200) {
                return m;
            }
        }
        return null;
    }

    private static boolean awaitClosed(SipWire wire) throws IOException {
        long end = System.currentTimeMillis() + 4000;
        while (!wire.closed() && System.currentTimeMillis() < end) {
            wire.receive(200);
        }
        return wire.closed();
    }

    /** The header fields the RFC asks of the answer: Unsupported on a 420, Allow on a 405 or 501. */
    private static void checkHeaders(Row row, String answer) {
        int status = SipWire.status(answer);
        if (status == 420) {
            assertTrue(answer.contains("noProxiesSupportThis") && answer.contains("norDoAnyProxiesSupportThis"),
                    row + ": 420 without Unsupported naming the Proxy-Require extensions: " + answer);
            assertFalse(answer.contains("nothingSupportsThis"), row + ": a proxy does not judge Require: " + answer);
        }
        if (status == 405 || status == 501) {
            assertTrue(answer.contains("Allow: INVITE"), row + ": " + status + " without Allow: " + answer);
        }
        assertTrue(answer.contains("Warning: 399 trunkgate"), row + ": no Warning naming the cause: " + answer);
    }

    private static void assertOptionsAnswered(SipWire wire, Row row) throws IOException {
        String callId = "torture-after-" + row.name() + "-" + PROBES.incrementAndGet();
        wire.send(wire.options(gateway.insidePort(), callId));
        String answer = finalAnswer(wire, "Call-ID " + callId, 8000);
        if (answer == null) {
            fail(row + ": the OPTIONS after it got no answer over " + wire.transport());
        }
        assertEquals(200, SipWire.status(answer), row + ": " + answer);
    }
}
