package io.trunkgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.ParseException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The URI table of issue #4: each row names its requirement ID. */
class SipUriParserTest {

    /** id, uri, scheme, number, tgrp, trunk-context, host, port, transport, warnings containing (or "" for none). */
    static Stream<Arguments> table() {
        return Stream.of(
                row("URI-4/URI-5 RFC 4904 example (spec)",
                        "sip:+13175550100;tgrp=byoc-trunk-7;trunk-context=myregion.example@lb01.byoc.example.com:5061;transport=tls",
                        "sip", "+13175550100", "byoc-trunk-7", "myregion.example", "lb01.byoc.example.com", 5061, "tls", ""),
                row("URI-4/URI-5 RFC 4904 section 3 example",
                        "sip:+16305550100;tgrp=TG-1;trunk-context=example.com@isp.example.net;user=phone",
                        "sip", "+16305550100", "TG-1", "example.com", "isp.example.net", -1, null, ""),
                row("URI-5 trunk-context as a global number (RFC 4904)",
                        "sip:5550100;tgrp=7;trunk-context=+1-630@gw.example.net",
                        "sip", "5550100", "7", "+1-630", "gw.example.net", -1, null, ""),
                row("URI-1 escaped characters in the user part and its parameters",
                        "sip:%2B1317555%30100;tgrp=tg%2D7;trunk-context=ex%61mple.com@h.example.com",
                        "sip", "+13175550100", "tg-7", "example.com", "h.example.com", -1, null, ""),
                row("URI-1 escaped semicolon stays inside the tgrp value",
                        "sip:+1;tgrp=a%3Bb;trunk-context=x.example@h.example.com",
                        "sip", "+1", "a;b", "x.example", "h.example.com", -1, null, ""),
                row("URI-1 tel-style number with dashes (RFC 3966 visual separators)",
                        "sip:+1-317-555-0100@host.example.com;user=phone",
                        "sip", "+13175550100", null, null, "host.example.com", -1, null, ""),
                row("URI-1 tel-style number with dots and parentheses",
                        "sip:+1(317)555.0100@host.example.com;user=phone",
                        "sip", "+13175550100", null, null, "host.example.com", -1, null, ""),
                row("URI-1 a name, not a number, is kept as the user",
                        "sip:alice.smith@host.example.com",
                        "sip", "alice.smith", null, null, "host.example.com", -1, null, ""),
                row("URI-2 tgrp in the host part is not honoured",
                        "sip:+13175550100@host.example.com;tgrp=tg-7;trunk-context=example.com;transport=tls",
                        "sip", "+13175550100", null, null, "host.example.com", -1, "tls", "tgrp is a user-part parameter"),
                row("URI-2 trunk-context alone in the host part is not honoured",
                        "sip:+13175550100;tgrp=tg-7@host.example.com;trunk-context=example.com",
                        "sip", "+13175550100", "tg-7", null, "host.example.com", -1, null, "trunk-context is a user-part parameter"),
                row("URI-2/URI-3 transport in the user part is not honoured",
                        "sip:+13175550100;transport=tls@host.example.com",
                        "sip", "+13175550100", null, null, "host.example.com", -1, null, "transport is a host-part parameter"),
                row("URI-3 transport udp, upper case",
                        "sip:100@10.0.0.5:5060;transport=UDP",
                        "sip", "100", null, null, "10.0.0.5", 5060, "udp", ""),
                row("URI-3 transport tcp",
                        "sip:100@pbx.example.com;transport=tcp",
                        "sip", "100", null, null, "pbx.example.com", -1, "tcp", ""),
                row("URI-3 unknown transport is reported",
                        "sip:100@pbx.example.com;transport=sctp",
                        "sip", "100", null, null, "pbx.example.com", -1, "sctp", "not one of udp, tcp, tls"),
                row("URI-3 sips: implies TLS",
                        "sips:+13175550100@lb01.example.com",
                        "sips", "+13175550100", null, null, "lb01.example.com", -1, "tls", ""),
                row("URI-3 sips: with transport=udp is TLS and reported",
                        "sips:+13175550100@lb01.example.com;transport=udp",
                        "sips", "+13175550100", null, null, "lb01.example.com", -1, "tls", "cannot be secured"),
                row("URI-1 IPv6 host with port",
                        "sip:+13175550100@[2001:db8::1]:5061;transport=tls",
                        "sip", "+13175550100", null, null, "[2001:db8::1]", 5061, "tls", ""),
                row("URI-1 IPv6 host without port, tgrp",
                        "sip:+1;tgrp=t;trunk-context=c.example@[::1]",
                        "sip", "+1", "t", "c.example", "[::1]", -1, null, ""),
                row("URI-1 missing user part (FQDN only)",
                        "sip:acme.example.com;transport=tls",
                        "sip", null, null, null, "acme.example.com", -1, "tls", ""),
                row("URI-4 empty user with tgrp is reported",
                        "sip:;tgrp=a;trunk-context=b.example@host.example.com",
                        "sip", null, "a", "b.example", "host.example.com", -1, null, "without a number"),
                row("URI-5 tgrp without trunk-context is reported",
                        "sip:+1;tgrp=a@host.example.com",
                        "sip", "+1", "a", null, "host.example.com", -1, null, "without trunk-context"),
                row("URI-4 tgrp without a value is reported",
                        "sip:+1;tgrp;trunk-context=b.example@host.example.com",
                        "sip", "+1", null, "b.example", "host.example.com", -1, null, "tgrp has no value"),
                row("URI-4/URI-5 tel: URI with RFC 4904 parameters",
                        "tel:+1-317-555-0100;tgrp=tg-7;trunk-context=example.com",
                        "tel", "+13175550100", "tg-7", "example.com", null, -1, null, ""),
                row("URI-1 host is lower-cased, trunk-context too (domain names)",
                        "sip:+1;tgrp=TG;trunk-context=Example.COM@LB01.Example.com",
                        "sip", "+1", "TG", "example.com", "lb01.example.com", -1, null, ""));
    }

    private static Arguments row(String id, String uri, String scheme, String number, String tgrp, String context,
                                 String host, int port, String transport, String warning) {
        return Arguments.of(id, uri, scheme, number, tgrp, context, host, port, transport, warning);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("table")
    void parts(String id, String uri, String scheme, String number, String tgrp, String context, String host, int port,
               String transport, String warning) throws ParseException {
        SipUriParts parts = SipUriParser.parse(uri);
        assertEquals(scheme, parts.scheme(), "scheme");
        assertEquals(number, parts.number(), "number");
        assertEquals(tgrp, parts.tgrp(), "tgrp");
        assertEquals(context, parts.trunkContext(), "trunk-context");
        assertEquals(host, parts.host(), "host");
        assertEquals(port, parts.port(), "port");
        assertEquals(transport, parts.transport(), "transport");
        if (warning.isEmpty()) {
            assertEquals(java.util.List.of(), parts.warnings(), "warnings");
        } else {
            assertTrue(parts.warnings().stream().anyMatch(w -> w.contains(warning)), "warning '" + warning + "' in "
                    + parts.warnings());
        }
    }

    @Test
    void uri2WarningNamesTheRequirement() throws ParseException {
        SipUriParts parts = SipUriParser.parse("sip:+1@h.example.com;tgrp=x;trunk-context=y.example");
        assertEquals(2, parts.warnings().size());
        assertTrue(parts.warnings().get(0).contains("URI-2"), parts.warnings().toString());
    }

    @Test
    void uri1NotAUriIsRefused() {
        assertThrows(ParseException.class, () -> SipUriParser.parse("not a uri"));
        ParseException e = assertThrows(ParseException.class, () -> SipUriParser.parse("mailto:a@b.example"));
        assertTrue(e.getMessage().contains("URI-1"), e.getMessage());
    }

    @Test
    void cert6IpLiteralHosts() throws ParseException {
        assertTrue(SipUriParser.parse("sip:1@192.0.2.1").hostIsAddress());
        assertTrue(SipUriParser.parse("sip:1@[2001:db8::1]").hostIsAddress());
        assertFalse(SipUriParser.parse("sip:1@lb01.example.com").hostIsAddress());
        assertFalse(SipUriParser.isIpLiteral("1.2.3.4.example.com"));
        assertFalse(SipUriParser.isIpLiteral("123.example"));
    }

    @Test
    void uri1EscapingForUrisWeWrite() {
        assertEquals("+13175550100", SipUriParser.escapeUser("+13175550100", false));
        assertEquals("a%3Bb%3Dc", SipUriParser.escapeUser("a;b=c", true));
        assertEquals("%23123", SipUriParser.escapeUser("#123", false));
        assertEquals("a b", SipUriParser.unescape("a%20b"));
        assertEquals("100%", SipUriParser.unescape("100%"));
    }
}
