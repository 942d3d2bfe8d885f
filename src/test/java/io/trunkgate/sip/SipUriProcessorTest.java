package io.trunkgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkgate.flow.TrunkgateConstants;
import io.trunkgate.sip.SipTestMessages.RecordingConnection;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

class SipUriProcessorTest {

    private Exchange parsed(String requestUri, RecordingConnection connection) {
        Exchange exchange = SipTestMessages.exchange(SipTestMessages.invite(requestUri), connection);
        new SipParseProcessor().process(exchange);
        assertFalse(exchange.isRouteStop(), "parsed");
        return exchange;
    }

    @Test
    void uri1To5PartsBecomeHeaders() {
        RecordingConnection connection = new RecordingConnection("127.0.0.1", "tls");
        Exchange exchange = parsed(
                "sip:+13175550100;tgrp=tg-7;trunk-context=example.com@lb01.example.com:5061;transport=tls", connection);
        exchange.getIn().setHeader(TrunkgateConstants.TGRP, "stale");
        new SipUriProcessor().process(exchange);
        assertEquals("sip", exchange.getIn().getHeader(TrunkgateConstants.URI_SCHEME));
        assertEquals("+13175550100", exchange.getIn().getHeader(TrunkgateConstants.NUMBER));
        assertEquals("tg-7", exchange.getIn().getHeader(TrunkgateConstants.TGRP));
        assertEquals("example.com", exchange.getIn().getHeader(TrunkgateConstants.TRUNK_CONTEXT));
        assertEquals("lb01.example.com", exchange.getIn().getHeader(TrunkgateConstants.URI_HOST));
        assertEquals(5061, exchange.getIn().getHeader(TrunkgateConstants.URI_PORT));
        assertEquals("tls", exchange.getIn().getHeader(TrunkgateConstants.TRANSPORT));
        assertTrue(exchange.getIn().getHeader(TrunkgateConstants.URI_PARTS) instanceof SipUriParts);
        assertTrue(connection.sent.isEmpty());
    }

    @Test
    void uri2HostPartTgrpLeavesNoHeader() {
        Exchange exchange = parsed("sip:+13175550100@lb01.example.com;tgrp=tg-7;trunk-context=example.com",
                new RecordingConnection("127.0.0.1", "tls"));
        exchange.getIn().setHeader(TrunkgateConstants.TGRP, "stale");
        new SipUriProcessor().process(exchange);
        assertNull(exchange.getIn().getHeader(TrunkgateConstants.TGRP), "URI-2: not honoured");
        assertNull(exchange.getIn().getHeader(TrunkgateConstants.TRUNK_CONTEXT));
        assertNull(exchange.getIn().getHeader(TrunkgateConstants.URI_PORT));
        assertEquals(2, exchange.getIn().getHeader(TrunkgateConstants.URI_PARTS, SipUriParts.class).warnings().size());
    }

    /** The lines SipUriProcessor logs while {@code run} runs. */
    private static java.util.List<ch.qos.logback.classic.spi.ILoggingEvent> logged(Runnable run) {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(SipUriProcessor.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            run.run();
        } finally {
            logger.detachAppender(log);
        }
        return log.list;
    }

    @Test
    void uri2WrongPartIsLogged() {
        java.util.List<ch.qos.logback.classic.spi.ILoggingEvent> log = logged(() -> new SipUriProcessor().process(
                parsed("sip:+13175550100@lb01.example.com;tgrp=tg-7;trunk-context=example.com",
                        new RecordingConnection("127.0.0.1", "tls"))));
        assertTrue(log.stream().anyMatch(e -> e.getFormattedMessage().contains("tgrp is a user-part parameter but"
                + " was given in the host part: not honoured (URI-2")), log.toString());
    }

    @Test
    void uri1UnsupportedSchemeIs416() {
        RecordingConnection connection = new RecordingConnection("127.0.0.1", "tls");
        Exchange exchange = parsed("mailto:someone@example.com", connection);
        new SipUriProcessor().process(exchange);
        assertTrue(exchange.isRouteStop());
        assertEquals(1, connection.sent.size());
        assertTrue(connection.sent.get(0).startsWith("SIP/2.0 416 "), connection.sent.get(0));
        assertTrue(connection.sent.get(0).contains("URI-1"), connection.sent.get(0));
    }

    @Test
    void uri2FloodFromOneSourceLogsOneLineAndCountsTheRest() {
        io.trunkgate.limits.RefusalLog refusals = new io.trunkgate.limits.RefusalLog(java.time.Duration.ofSeconds(10));
        SipUriProcessor step = new SipUriProcessor(() -> refusals);
        java.util.List<ch.qos.logback.classic.spi.ILoggingEvent> log = logged(() -> {
            for (int i = 0; i < 100; i++) { // issue #17 item 6: a hostile peer must not fill the disk
                Exchange exchange = parsed("sip:+13175550100@lb01.example.com;tgrp=tg-7;trunk-context=example.com",
                        new RecordingConnection("127.0.0.1", "tls"));
                exchange.getIn().setHeader(TrunkgateConstants.SOURCE_ADDRESS, "192.0.2.7:5061");
                step.process(exchange);
            }
        });
        assertEquals(1, log.size(), log.toString());
        assertEquals(200L, refusals.totals().get("Request-URI parameter not honoured (URI-2)"), "two per request, counted");
    }
}
