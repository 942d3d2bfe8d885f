package io.trunkgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.trunkgate.sip.SipUriParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The inbound routing table (remote -> inside): TGRP, DNIS, FQDN, precedence, 403 and 404. */
class InboundRoutingTest {

    // acme allows 127.0.0.0/24 and ::1, beta 127.0.1.0/24, gamma 127.0.2.0/24
    private static final String ACME_SRC = "127.0.0.9";
    private static final String BETA_SRC = "127.0.1.9";
    private static final String STRANGER = "127.0.9.9";

    @TempDir
    static Path dir;
    static Router router;

    @BeforeAll
    static void load() {
        router = new Router(RoutingFixtures.config(dir), RoutingFixtures.SRV);
    }

    /** id, Request-URI, source, expected trunk (or status), expected method (or words of the reason). */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("ROUTE-1 tgrp and trunk-context match",
                        "sip:+13175550100;tgrp=acme-tg1;trunk-context=example.com@lb01.pc-voice.usw2.pure.cloud:5061;transport=tls",
                        ACME_SRC, "acme", "tgrp"),
                Arguments.of("ROUTE-1 trunk-context compares case-insensitively",
                        "sip:+4420;tgrp=acme-tg1;trunk-context=EXAMPLE.com@h.example.com", ACME_SRC, "acme", "tgrp"),
                Arguments.of("ROUTE-1 tgrp is case-sensitive (user-part text): falls to DNIS",
                        "sip:+13175550123;tgrp=ACME-TG1;trunk-context=example.com@h.example.com", ACME_SRC, "acme", "dnis"),
                Arguments.of("ROUTE-1 right tgrp, wrong trunk-context: no TGRP match, DNIS decides",
                        "sip:+13175550123;tgrp=acme-tg1;trunk-context=example.org@h.example.com", ACME_SRC, "acme", "dnis"),
                Arguments.of("ROUTE-1 TGRP beats DNIS (the number is acme's, the tgrp beta's)",
                        "sip:+13175550999;tgrp=beta-tg;trunk-context=example.net@h.example.com", BETA_SRC, "beta", "tgrp"),
                Arguments.of("ROUTE-1 from IPv6 loopback",
                        "sip:+1;tgrp=acme-tg1;trunk-context=example.com@[::1]:5061", "::1", "acme", "tgrp"),
                Arguments.of("ROUTE-2 DNIS prefix pattern",
                        "sip:+13175550123@lb01.pc-voice.usw2.pure.cloud", ACME_SRC, "acme", "dnis"),
                Arguments.of("ROUTE-2 DNIS with visual separators in the number",
                        "sip:+1-317-555-0123@h.example.com;user=phone", ACME_SRC, "acme", "dnis"),
                Arguments.of("ROUTE-2 DNIS with an escaped +",
                        "sip:%2B13175550123@h.example.com", ACME_SRC, "acme", "dnis"),
                Arguments.of("ROUTE-2 the most specific DNIS pattern wins (beta's exact number)",
                        "sip:+13175550100@h.example.com", BETA_SRC, "beta", "dnis"),
                Arguments.of("ROUTE-2/TLS-7 a less specific pattern wins when the source only fits it",
                        "sip:+13175550100@h.example.com", ACME_SRC, "acme", "dnis"),
                Arguments.of("ROUTE-2 the + is significant",
                        "sip:13175550123@h.example.com", ACME_SRC, "404", "no trunk"),
                Arguments.of("ROUTE-3 FQDN (Request-URI host)",
                        "sip:reception@acme.example.com", ACME_SRC, "acme", "fqdn"),
                Arguments.of("ROUTE-3 FQDN host compares case-insensitively",
                        "sip:+4420@ACME.Example.COM:5061;transport=tls", ACME_SRC, "acme", "fqdn"),
                Arguments.of("ROUTE-3 FQDN with no user part",
                        "sip:beta.example.net", BETA_SRC, "beta", "fqdn"),
                Arguments.of("URI-2 tgrp in the host part is not honoured: FQDN decides",
                        "sip:+4420@acme.example.com;tgrp=beta-tg;trunk-context=example.net", ACME_SRC, "acme", "fqdn"),
                Arguments.of("TLS-7 403: a TGRP match from a source outside inbound.sources",
                        "sip:+13175550100;tgrp=acme-tg1;trunk-context=example.com@h.example.com", STRANGER, "403",
                        "inbound.sources"),
                Arguments.of("TLS-7 403: no fall-through from a refused TGRP to beta's DNIS",
                        "sip:+19995550100;tgrp=acme-tg1;trunk-context=example.com@h.example.com", BETA_SRC, "403",
                        "TLS-7"),
                Arguments.of("TLS-7 403: DNIS match from a stranger",
                        "sip:+13175550123@h.example.com", STRANGER, "403", "TLS-7"),
                Arguments.of("TLS-7 403: FQDN match from another trunk's source",
                        "sip:x@acme.example.com", BETA_SRC, "403", "TLS-7"),
                Arguments.of("ROUTE-1..3 404: unknown tgrp, number and host",
                        "sip:+4420;tgrp=zeta;trunk-context=example.com@h.example.com", ACME_SRC, "404", "ROUTE-1..3"),
                Arguments.of("ROUTE-1..3 404: no user part, unknown host",
                        "sip:h.example.com", ACME_SRC, "404", "no trunk"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void inbound(String id, String uri, String source, String trunk, String methodOrReason) throws Exception {
        RouteDecision d = router.inbound(SipUriParser.parse(uri), InetAddress.getByName(source));
        assertEquals(Direction.INBOUND, d.direction());
        if (trunk.matches("[0-9]+")) {
            assertEquals(Integer.parseInt(trunk), d.status(), d.toString());
            assertTrue(d.reason().contains(methodOrReason), d.reason());
            return;
        }
        assertTrue(d.routed(), d.toString());
        assertEquals(trunk, d.trunk().id());
        assertEquals(methodOrReason, d.method());
        assertEquals(d.trunk().insideTarget(), d.nextHop());
    }

    @Test
    void route1InsideRequestUriKeepsNumberAndTgrp() throws Exception {
        RouteDecision d = router.inbound(SipUriParser.parse(
                "sip:+13175550100;tgrp=acme-tg1;trunk-context=example.com@lb01.pc-voice.usw2.pure.cloud;transport=tls"),
                InetAddress.getByName(ACME_SRC));
        assertEquals("sip:127.0.0.5:5060;transport=udp", d.nextHop());
        assertEquals("sip:+13175550100;tgrp=acme-tg1;trunk-context=example.com@127.0.0.5:5060;transport=udp",
                d.requestUri());
        // a target with its own user part is used as it is
        RouteDecision g = router.inbound(SipUriParser.parse("sip:+1@gamma.example.org"),
                InetAddress.getByName("127.0.2.1"));
        assertEquals("sip:pbx@127.0.0.7:5080", g.requestUri());
    }

    @Test
    void route1To3OrderIsConfigurable() throws Exception {
        String uri = "sip:+19990000;tgrp=beta-tg;trunk-context=example.net@acme.example.com";
        // default order: TGRP first, beta is matched but the source is acme's: 403
        assertEquals(403, router.inbound(SipUriParser.parse(uri), InetAddress.getByName(ACME_SRC)).status());
        Path other = Files.createDirectories(dir.resolve("fqdn-first"));
        RoutingFixtures.write(other, RoutingFixtures.TRUNKS.replace("routing:\n",
                "routing:\n  inbound: [fqdn, dnis, tgrp]\n"), RoutingFixtures.REGIONS);
        Router fqdnFirst = new Router(RoutingConfig.load(other), RoutingFixtures.SRV);
        RouteDecision d = fqdnFirst.inbound(SipUriParser.parse(uri), InetAddress.getByName(ACME_SRC));
        assertEquals("acme", d.trunk().id());
        assertEquals("fqdn", d.method());
        // and a method left out is not used at all
        Path tgrpOnly = Files.createDirectories(dir.resolve("tgrp-only"));
        RoutingFixtures.write(tgrpOnly, RoutingFixtures.TRUNKS.replace("routing:\n", "routing:\n  inbound: [tgrp]\n"),
                RoutingFixtures.REGIONS);
        assertEquals(404, new Router(RoutingConfig.load(tgrpOnly), RoutingFixtures.SRV)
                .inbound(SipUriParser.parse("sip:+13175550123@acme.example.com"), InetAddress.getByName(ACME_SRC))
                .status());
    }

    @Test
    void tls7SourceCheckSkippedOnlyWithoutASource() throws Exception {
        RouteDecision d = router.inbound(SipUriParser.parse("sip:+13175550123@h.example.com"), null);
        assertEquals("acme", d.trunk().id());
    }

    @Test
    void tls7AddressRanges() throws Exception {
        AddressRange v4 = AddressRange.parse("203.0.113.0/24");
        assertTrue(v4.contains(InetAddress.getByName("203.0.113.200")));
        assertTrue(!v4.contains(InetAddress.getByName("203.0.114.1")));
        assertTrue(v4.contains(InetAddress.getByName("::ffff:203.0.113.7")), "IPv4-mapped");
        AddressRange odd = AddressRange.parse("10.0.0.128/25");
        assertTrue(odd.contains(InetAddress.getByName("10.0.0.200")));
        assertTrue(!odd.contains(InetAddress.getByName("10.0.0.100")));
        AddressRange v6 = AddressRange.parse("2001:db8::/32");
        assertTrue(v6.contains(InetAddress.getByName("2001:db8:1::5")));
        assertTrue(!v6.contains(InetAddress.getByName("2001:db9::5")));
        assertTrue(!v6.contains(InetAddress.getByName("127.0.0.1")));
        assertTrue(AddressRange.parse("0.0.0.0/0").contains(InetAddress.getByName("198.51.100.1")));
    }

    @Test
    void route2NumberPatterns() {
        NumberPattern p = NumberPattern.parse("+1 (317) 555-*");
        assertTrue(p.matches("+13175550100"));
        assertTrue(!p.matches("+131755"), "the whole prefix must be there");
        assertTrue(NumberPattern.parse("+1317555*").matches("+1317555"));
        assertTrue(NumberPattern.parse("+4420?").matches("+44201"));
        assertTrue(!NumberPattern.parse("+4420?").matches("+442012"));
        assertTrue(NumberPattern.parse("+13175550100").specificity() > NumberPattern.parse("+1317555*").specificity());
    }
}
