package io.trunkgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import org.junit.jupiter.api.Test;

/**
 * The direct path for plain headers must give what JAIN-SIP's own parsers give: the same objects (JAIN-SIP's
 * field-by-field equals) and the same encoding, and must leave every line it does not fully understand to them.
 */
class PlainLinesTest {

    /** Lines the direct path takes: the forms SIPp, Asterisk, Kamailio and carriers send every call. */
    private static final String[] PLAIN = {
        "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK776asdhds",
        "Via: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK-1-0;rport",
        "Via: SIP/2.0/TCP pbx.example.com:5060;branch=z9hG4bKnashds8;received=192.0.2.1;rport=5062",
        "v: SIP/2.0/UDP host.example.com;Branch=z9hG4bKx;TTL=16;maddr=224.2.0.1",
        "VIA:SIP/2.0/tls edge.example.net:5061;branch=z9hG4bKtg.abc123;alias",
        "From: sipp <sip:sipp@127.0.0.1:5070>;tag=4321SIPpTag001234",
        "From: <sip:+15551234567@127.0.0.1>;tag=1928301774",
        "f: Alice Smith <sips:alice@atlanta.example.com>;tag=88sja8x",
        "From: <sip:anonymous@anonymous.invalid;user=phone>;tag=a-b.c_d",
        "To: <sip:+13175550100@127.0.0.1:5061>",
        "To: <sip:+13175550100@127.0.0.1;user=phone>;tag=12-ab",
        "t: <sip:bob@biloxi.example.com>",
        "To: Bob <sip:bob@192.0.2.4:5080;transport=udp;lr>;tag=x;custom",
        "Contact: <sip:sipp@127.0.0.1:5070;transport=TCP>",
        "m: <sip:+15551234567@10.1.2.3:5061;transport=tls>;expires=3600",
        "Contact: <sip:gw.example.com;transport=tls>;+sip.instance=abc",
        "Contact: Caller <sip:10.0.0.1>",
        "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2",
        "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1,SIP/2.0/TLS 10.0.0.2;branch=z9hG4bK2;rport=5061",
        "Contact: <sip:a@example.com>, <sip:b@example.com>;expires=60",
        "Route: <sip:127.0.0.1:5061;transport=tls;lr>",
        "Route: <sip:127.0.0.1:5061;transport=tls;lr>,<sip:127.0.0.1:5060;transport=udp;lr>",
        "Record-Route: <sip:127.0.0.1:5060;transport=udp;lr>, <sip:127.0.0.1:5061;transport=tls;lr>",
        "Record-Route: <sip:edge.example.net;lr;ftag=abc>;x=1",
        "Call-ID: a84b4c76e66710@127.0.0.1",
        "i: 1234-4321@127.0.0.1",
        "Call-ID:   f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
        "CSeq: 314159 INVITE",
        "CSeq: 1 ACK",
        "CSeq:2 bye",
        "CSeq: 2147483647 OPTIONS",
        "Max-Forwards: 70",
        "Max-Forwards: 0",
        "max-forwards:255",
        "Content-Length: 0",
        "l: 129",
        "Content-Length: 123456789",
        "Content-Type: application/sdp",
        "c: application/sdp",
        "Content-Type: multipart/mixed",
        "content-type: APPLICATION/SDP",
    };

    /** Lines outside the plain forms: JAIN-SIP parses them (or refuses them) itself. */
    private static final String[] NOT_PLAIN = {
        "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,",
        "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,, SIP/2.0/UDP b.example.com",
        "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1",
        "Via: SIP/2.0/UDP 10.0.0.1;received=2001:db8::9;branch=z9hG4bK1",
        "Via: SIP/2.0/UDP 10.0.0.1 ;branch=z9hG4bK1",
        "Via: SIP/2.0/UDP 10.0.0.1;branch",
        "Via: SIP/2.0/UDP 10.0.0.1 (comment)",
        "Via: SIP / 2.0 / UDP 10.0.0.1;branch=z9hG4bK1",
        "Via: SIP/2.0/UDP 10.0.0.1;branch=\"quoted\"",
        "From: \"Alice \\\"A\\\"\" <sip:alice@example.com>;tag=1",
        "From: \"Caller\" <sip:+15551234567@127.0.0.1>;tag=1928301774",
        "From: sip:alice@example.com;tag=1",
        "From: <tel:+15551234567>;tag=1",
        "From: <sip:al%41ice@example.com>;tag=1",
        "To: <sip:bob@example.com?subject=x>",
        "To: <sip:bob@[2001:db8::1]>",
        "To: <sip:bob:secret@example.com>",
        "To: <sip:bob;ext=1@example.com>",
        "Contact: *",
        "Contact: <sip:a@example.com>, \"B\" <sip:b@example.com>",
        "Route: <sip:a@example.com;lr>, <sip:b@example.com;lr>;",
        "Record-Route: sip:p.example.com;lr",
        "Contact: <sip:a@example.com>;q=0.7;description=\"home\"",
        "CSeq: 99999999999 INVITE",
        "CSeq: -1 INVITE",
        "CSeq: 1INVITE",
        "Max-Forwards: 256",
        "Max-Forwards: -1",
        "Max-Forwards: 7O",
        "Content-Length: 1234567890",
        "Content-Length: ",
        "Content-Type: application/sdp;charset=utf-8",
        "Content-Type: multipart/mixed;boundary=unique-boundary-1",
        "Content-Type: application",
        "Subject: Performance Test",
        "User-Agent: SIPp",
        "Path: <sip:127.0.0.1:5061;lr>",
    };

    @Test
    void plainLinesGiveTheObjectsAndEncodingOfJainSipsParsers() throws ParseException {
        for (String line : PLAIN) {
            SIPHeader reference = StringMsgParser.parseSIPHeader(line + "\n");
            SIPHeader direct = PlainLines.parse(line);
            assertNotNull(direct, "direct path refused a plain line: " + line);
            assertSame(reference, direct, line);
        }
    }

    private static final String[] PLAIN_START = {
        "INVITE sip:+13175550100@127.0.0.1:5061 SIP/2.0",
        "INVITE sip:+13175550100@127.0.0.1;tgrp=tg-1;trunk-context=example.com SIP/2.0",
        "ACK sip:127.0.0.1:5070;transport=UDP SIP/2.0",
        "BYE sips:bob@biloxi.example.com SIP/2.0",
        "invite sip:a@example.com SIP/2.0",
        "OPTIONS sip:gw.example.com:5061;transport=tls SIP/2.0",
        "SIP/2.0 200 OK",
        "SIP/2.0 100 Trying",
        "SIP/2.0 183 Session Progress",
        "SIP/2.0 486 Busy Here",
        "SIP/2.0 503 Service Unavailable (overload)",
    };

    private static final String[] NOT_PLAIN_START = {
        "INVITE tel:+13175550100 SIP/2.0",
        "INVITE sip:[2001:db8::1] SIP/2.0",
        "INVITE sip:a@example.com?subject=x SIP/2.0",
        "INVITE  sip:a@example.com SIP/2.0",
        "INVITE sip:a@example.com SIP/3.0",
        "SIP/2.0 20 OK",
        "SIP/2.0 099 Odd",
        "SIP/2.0 200 Gr\u00fc\u00dfe",
    };

    @Test
    void plainStartLinesGiveTheObjectsOfJainSipsParsers() throws ParseException {
        for (String line : PLAIN_START) {
            Object reference = line.startsWith("SIP/") ? new StringMsgParser().parseSIPStatusLine(line + "\n")
                    : new StringMsgParser().parseSIPRequestLine(line + "\n");
            Object direct = line.startsWith("SIP/") ? PlainLines.statusLine(line) : PlainLines.requestLine(line);
            assertNotNull(direct, "direct path refused a plain start line: " + line);
            assertEquals(reference, direct, line);
            assertEquals(((gov.nist.core.GenericObject) reference).encode(), ((gov.nist.core.GenericObject) direct).encode(), line);
        }
        for (String line : NOT_PLAIN_START) {
            assertNull(line.startsWith("SIP/") ? PlainLines.statusLine(line) : PlainLines.requestLine(line), line);
        }
    }

    @Test
    void otherLinesAreLeftToJainSip() {
        for (String line : NOT_PLAIN) {
            assertNull(PlainLines.parse(line), "direct path took a line it should leave to JAIN-SIP: " + line);
        }
    }

    /**
     * Every plain line and start line, mutated at random one character at a time (bounded: fixed seed, 40 per line): whatever the
     * direct path accepts, JAIN-SIP accepts too and parses to the same thing, so the gateway is never more lenient
     * with a bad header than JAIN-SIP (a 400 stays a 400).
     */
    @Test
    void mutatedLinesAreNeverAcceptedUnlessJainSipAgrees() {
        Random random = new Random(5061);
        String alphabet = "abcXYZ019 \t;:=<>@\"',.-_+*%[]/?&#()!~\\";
        int taken = 0;
        for (String line : PLAIN) {
            for (int n = 0; n < 40; n++) {
                String mutated = mutate(line, line.indexOf(':') + 1, random, alphabet);
                SIPHeader direct = PlainLines.parse(mutated);
                if (direct == null) {
                    continue;
                }
                taken++;
                SIPHeader reference;
                try {
                    reference = StringMsgParser.parseSIPHeader(mutated + "\n");
                } catch (ParseException | RuntimeException e) {
                    fail("direct path accepted a line JAIN-SIP refuses (" + e.getMessage() + "): " + mutated);
                    return;
                }
                assertSame(reference, direct, mutated);
            }
        }
        assertTrue(taken > 100, "the mutations should still leave many plain lines: " + taken);
        int startTaken = 0;
        for (String line : PLAIN_START) {
            for (int n = 0; n < 40; n++) {
                String mutated = mutate(line, 0, random, alphabet);
                boolean status = mutated.startsWith("SIP/");
                Object direct = status ? PlainLines.statusLine(mutated) : PlainLines.requestLine(mutated);
                if (direct == null) {
                    continue;
                }
                startTaken++;
                Object reference;
                try {
                    reference = status ? new StringMsgParser().parseSIPStatusLine(mutated + "\n")
                            : new StringMsgParser().parseSIPRequestLine(mutated + "\n");
                } catch (ParseException | RuntimeException e) {
                    fail("direct path accepted a start line JAIN-SIP refuses (" + e.getMessage() + "): " + mutated);
                    return;
                }
                assertEquals(reference, direct, mutated);
            }
        }
        assertTrue(startTaken > 50, "the mutations should still leave many plain start lines: " + startTaken);
    }

    private static String mutate(String line, int from, Random random, String alphabet) {
        StringBuilder b = new StringBuilder(line);
        int at = from + random.nextInt(line.length() - from);
        switch (random.nextInt(3)) {
            case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
            default -> b.deleteCharAt(at);
        }
        return b.toString();
    }

    /** Whole messages through SipParser (direct path on) and plain JAIN-SIP: same message, header by header. */
    @Test
    void wholeMessagesParseAsJainSipParsesThem() throws ParseException {
        List<byte[]> messages = new ArrayList<>();
        messages.add(SipTestMessages.invite("sip:+13175550100@127.0.0.1;tgrp=tg-1;trunk-context=example.com"));
        messages.add(bytes("SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKtg.x1;rport=5060;received=127.0.0.1\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK776asdhds\r\n"
                + "Record-Route: <sip:127.0.0.1:5060;transport=udp;lr>, <sip:127.0.0.1:5061;transport=tls;lr>\r\n"
                + "From: sipp <sip:sipp@127.0.0.1:5070>;tag=4321SIPpTag001234\r\n"
                + "To: <sip:+13175550100@127.0.0.1:5061>;tag=99SIPpTag01\r\n"
                + "Call-ID: 1234-4321@127.0.0.1\r\nCSeq: 1 INVITE\r\n"
                + "Contact: <sip:127.0.0.1:5070;transport=UDP>\r\nContent-Length: 0\r\n\r\n"));
        messages.add(bytes("BYE sip:+13175550100@127.0.0.1:5070;transport=UDP SIP/2.0\r\n"
                + "v: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK-7-8;rport\r\n"
                + "Route: <sip:127.0.0.1:5061;transport=tls;lr>\r\n"
                + "f: sipp <sip:sipp@127.0.0.1:5070>;tag=4321SIPpTag001234\r\n"
                + "t: \"Quoted Name\" <sip:+13175550100@127.0.0.1:5061>;tag=99SIPpTag01\r\n"
                + "i: 1234-4321@127.0.0.1\r\nCSeq: 2 BYE\r\nMax-Forwards: 70\r\nUser-Agent: x\r\nl: 0\r\n\r\n"));
        for (byte[] bytes : messages) {
            SIPMessage direct = SipParser.parse(bytes);
            SIPMessage reference = new StringMsgParser().parseSIPMessage(bytes, true, false, null);
            assertEquals(reference.encode(), direct.encode());
            Iterator<SIPHeader> expected = reference.getHeaders();
            Iterator<SIPHeader> actual = direct.getHeaders();
            while (expected.hasNext()) {
                assertSame(expected.next(), actual.next(), new String(bytes, StandardCharsets.UTF_8));
            }
        }
    }

    private static void assertSame(SIPHeader reference, SIPHeader direct, String line) {
        assertEquals(reference.getClass(), direct.getClass(), line);
        assertEquals(reference.encode(), direct.encode(), line);
        assertTrue(reference.equals(direct) && direct.equals(reference), "objects differ for " + line
                + "\n jain-sip: " + reference.encode() + "\n direct:   " + direct.encode());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
