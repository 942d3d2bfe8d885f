package io.trunkgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import io.trunkgate.flow.NextHop;
import io.trunkgate.flow.Side;
import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.sip.SipParseProcessor;
import io.trunkgate.sip.SipTestMessages.RecordingConnection;
import io.trunkgate.sip.SipTestMessages;
import io.trunkgate.sip.SipUriProcessor;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sipParse -> sipUri -> trunkRoute on real INVITE bytes: the headers set, and 403/404 answered on the connection. */
class TrunkRouteProcessorTest {

    @TempDir
    static Path dir;
    static TrunkRouteProcessor trunkRoute;

    @BeforeAll
    static void load() {
        trunkRoute = new TrunkRouteProcessor(new Router(RoutingFixtures.config(dir), RoutingFixtures.SRV));
    }

    private static Exchange run(byte[] message, RecordingConnection connection, String side) throws Exception {
        Exchange exchange = SipTestMessages.exchange(message, connection);
        if (side != null) {
            exchange.getIn().setHeader(TrunkgateConstants.SIDE, side);
        }
        new SipParseProcessor().process(exchange);
        new SipUriProcessor().process(exchange);
        trunkRoute.process(exchange);
        return exchange;
    }

    @Test
    void route1InboundTgrpSetsTheHeaders() throws Exception {
        RecordingConnection c = new RecordingConnection("127.0.0.9", "tls");
        Exchange e = run(SipTestMessages.invite(
                "sip:+13175550100;tgrp=acme-tg1;trunk-context=example.com@lb01.pc-voice.usw2.pure.cloud:5061;transport=tls"),
                c, "trunk");
        assertFalse(e.isRouteStop());
        assertTrue(c.sent.isEmpty());
        assertEquals("inbound", e.getIn().getHeader(TrunkgateConstants.DIRECTION));
        assertEquals("acme", e.getIn().getHeader(TrunkgateConstants.TRUNK));
        assertEquals("tgrp", e.getIn().getHeader(TrunkgateConstants.ROUTE_METHOD));
        assertEquals(new NextHop("127.0.0.5", 5060, "udp", Side.INSIDE), e.getIn().getHeader(TrunkgateConstants.NEXT_HOP));
        assertEquals("sip:+13175550100;tgrp=acme-tg1;trunk-context=example.com@127.0.0.5:5060;transport=udp",
                e.getIn().getHeader(TrunkgateConstants.REQUEST_URI));
        assertNull(e.getIn().getHeader(TrunkgateConstants.CERT_NAME));
        assertTrue(e.getIn().getHeader(TrunkgateConstants.ROUTE_DECISION) instanceof RouteDecision);
    }

    @Test
    void tls7InboundFromAStrangerIs403WithWarning() throws Exception {
        RecordingConnection c = new RecordingConnection("127.0.9.9", "tls");
        Exchange e = run(SipTestMessages.invite("sip:+13175550100;tgrp=acme-tg1;trunk-context=example.com@h.example.com"),
                c, null); // no side header: TLS means the trunk side
        assertTrue(e.isRouteStop());
        assertEquals(1, c.sent.size());
        assertTrue(c.sent.get(0).startsWith("SIP/2.0 403 Forbidden"), c.sent.get(0));
        assertTrue(c.sent.get(0).contains("Warning: 399 trunkgate") && c.sent.get(0).contains("TLS-7"), c.sent.get(0));
        assertFalse(c.sent.get(0).contains("acme"), "the Warning names no trunk");
        assertNull(e.getIn().getHeader(TrunkgateConstants.TRUNK));
    }

    @Test
    void route1To3InboundNoMatchIs404WithReason() throws Exception {
        RecordingConnection c = new RecordingConnection("127.0.0.9", "tls");
        Exchange e = run(SipTestMessages.invite("sip:+4420@nowhere.example.com"), c, "trunk");
        assertTrue(e.isRouteStop());
        assertTrue(c.sent.get(0).startsWith("SIP/2.0 404 Not Found"), c.sent.get(0));
        assertTrue(c.sent.get(0).contains("ROUTE-1..3"), c.sent.get(0));
    }

    @Test
    void route5OutboundFromTheInsideRewritesTheRequestUri() throws Exception {
        RecordingConnection c = new RecordingConnection("127.0.0.5", "udp");
        Exchange e = run(SipTestMessages.invite("sip:+13175550100;tgrp=acme-tg1@127.0.0.1:5060"), c, "inside");
        assertFalse(e.isRouteStop());
        assertEquals("outbound", e.getIn().getHeader(TrunkgateConstants.DIRECTION));
        assertEquals("acme", e.getIn().getHeader(TrunkgateConstants.TRUNK));
        String host = e.getIn().getHeader(TrunkgateConstants.CERT_NAME, String.class);
        assertTrue(host.matches("lb0[1-4]\\.pc-voice\\.usw2\\.pure\\.cloud"), host);
        assertEquals("sip:+13175550100;tgrp=acme-tg1;trunk-context=example.com@" + host + ":5061;transport=tls",
                e.getIn().getHeader(TrunkgateConstants.REQUEST_URI));
        assertEquals(new NextHop(host, 5061, "tls", Side.TRUNK), e.getIn().getHeader(TrunkgateConstants.NEXT_HOP));
    }

    @Test
    void outboundWithoutSideOverUdpIsOutbound() throws Exception {
        RecordingConnection c = new RecordingConnection("127.0.0.5", "udp");
        Exchange e = run(SipTestMessages.invite("sip:+442079460000@127.0.0.1"), c, null);
        assertEquals("outbound", e.getIn().getHeader(TrunkgateConstants.DIRECTION));
        assertEquals("beta", e.getIn().getHeader(TrunkgateConstants.TRUNK));
    }

    @Test
    void inDialogRequestsPassUntouched() throws Exception {
        String bye = new String(SipTestMessages.invite("sip:+4420@nowhere.example.com"))
                .replace("INVITE sip:", "BYE sip:").replace("CSeq: 314159 INVITE", "CSeq: 314160 BYE")
                .replace("To: <sip:+13175550100@127.0.0.1>", "To: <sip:+13175550100@127.0.0.1>;tag=abc");
        RecordingConnection c = new RecordingConnection("127.0.9.9", "tls");
        Exchange e = run(bye.getBytes(), c, "trunk");
        assertFalse(e.isRouteStop());
        assertTrue(c.sent.isEmpty());
        assertNull(e.getIn().getHeader(TrunkgateConstants.DIRECTION));
    }
}
