package io.trunkgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.trunkgate.sip.SipUriParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outbound (inside -> remote): trunk selection, the Request-URI, host spreading and failover, SRV. */
class OutboundRoutingTest {

    private static final List<String> USW2 = List.of("lb01.pc-voice.usw2.pure.cloud", "lb02.pc-voice.usw2.pure.cloud",
            "lb03.pc-voice.usw2.pure.cloud", "lb04.pc-voice.usw2.pure.cloud");

    @TempDir
    static Path dir;
    static Router router;

    @BeforeAll
    static void load() {
        router = new Router(RoutingFixtures.config(dir), RoutingFixtures.SRV);
    }

    private static RouteDecision out(String uri, String callId) throws Exception {
        return router.outbound(SipUriParser.parse(uri), callId);
    }

    @Test
    void route1Route5TgrpFromThePbxAndTheRequestUri() throws Exception {
        RouteDecision d = out("sip:+13175550100;tgrp=acme-tg1@127.0.0.1:5060", "c1@127.0.0.1");
        assertEquals(Direction.OUTBOUND, d.direction());
        assertEquals("acme", d.trunk().id());
        assertEquals("tgrp", d.method());
        RemoteHost first = d.hosts().get(0);
        assertTrue(USW2.contains(first.host()), first.toString());
        assertEquals("sip:+13175550100;tgrp=acme-tg1;trunk-context=example.com@" + first.host()
                + ":5061;transport=tls", d.requestUri());
        assertEquals("sip:" + first.host() + ":5061;transport=tls", d.nextHop());
        assertEquals(first.host(), first.certName(), "CERT-5: the certificate must carry the host we dial");
    }

    @Test
    void outboundTgrpMayNameTheTrunkIdAndMustFitAGivenContext() throws Exception {
        assertEquals("beta", out("sip:+33123;tgrp=beta@127.0.0.1", "c").trunk().id());
        assertEquals("beta", out("sip:+33123;tgrp=beta-tg;trunk-context=example.net@127.0.0.1", "c").trunk().id());
        RouteDecision wrongContext = out("sip:+33123;tgrp=beta-tg;trunk-context=example.com@127.0.0.1", "c");
        assertEquals(404, wrongContext.status(), "an explicit tgrp never falls back to another trunk");
        RouteDecision unknown = out("sip:+33123;tgrp=nope@127.0.0.1", "c");
        assertEquals(404, unknown.status());
        assertTrue(unknown.reason().contains("nope"), unknown.reason());
    }

    @Test
    void outboundNumberPatternAndNamedHosts() throws Exception {
        RouteDecision d = out("sip:+442079460000@127.0.0.1", "call-a");
        assertEquals("beta", d.trunk().id());
        assertEquals("number", d.method());
        assertTrue(d.requestUri().matches("sip:\\+442079460000;tgrp=beta-tg;trunk-context=example.net@sbc[12]"
                + "\\.beta\\.example:5062;transport=tls"), d.requestUri());
        // visual separators from the PBX are gone from what we send
        assertTrue(out("sip:+44-20-7946-0000@127.0.0.1", "c").requestUri().startsWith("sip:+442079460000;"));
    }

    @Test
    void outboundDefaultTrunkAndNoRoute() throws Exception {
        RouteDecision d = out("sip:+15550100@127.0.0.1", "c");
        assertEquals("acme", d.trunk().id());
        assertEquals("default", d.method());
        assertEquals(404, out("sip:127.0.0.1", "c").status(), "no number to dial");

        Path other = Files.createDirectories(dir.resolve("no-default"));
        RoutingFixtures.write(other, RoutingFixtures.TRUNKS.replace("  default-trunk: acme\n", "  outbound: [number]\n"),
                RoutingFixtures.REGIONS);
        Router numberOnly = new Router(RoutingConfig.load(other), RoutingFixtures.SRV);
        assertEquals(404, numberOnly.outbound(SipUriParser.parse("sip:+15550100@127.0.0.1"), "c").status());
        assertEquals("beta", numberOnly.outbound(SipUriParser.parse("sip:+4420@127.0.0.1;tgrp=acme-tg1"), "c")
                .trunk().id(), "tgrp not in routing.outbound (and in the wrong part anyway)");
    }

    @Test
    void route5NewCallsAreSpreadAcrossTheFourRegionHosts() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        int calls = 4000;
        for (int i = 0; i < calls; i++) {
            RouteDecision d = out("sip:+13175550100;tgrp=acme-tg1@127.0.0.1", "call-" + i + "@127.0.0.1");
            counts.merge(d.hosts().get(0).host(), 1, Integer::sum);
        }
        assertEquals(new HashSet<>(USW2), counts.keySet());
        for (int n : counts.values()) {
            assertTrue(n > calls / 4 * 0.85 && n < calls / 4 * 1.15, counts.toString());
        }
    }

    @Test
    void route5EveryCallGetsEveryHostOnceAndKeepsItsOrder() throws Exception {
        RouteDecision a = out("sip:+1;tgrp=acme-tg1@127.0.0.1", "same-call");
        RouteDecision b = out("sip:+1;tgrp=acme-tg1@127.0.0.1", "same-call");
        assertEquals(a.hosts(), b.hosts(), "deterministic per Call-ID");
        assertEquals(new HashSet<>(USW2), new HashSet<>(a.hosts().stream().map(RemoteHost::host).toList()));
        assertEquals(4, a.hosts().size());
    }

    @Test
    void route5FailoverMovesTheCallThroughEveryHostThenStops() throws Exception {
        String callId = "failover-1@127.0.0.1";
        RouteDecision d = out("sip:+13175550100;tgrp=acme-tg1@127.0.0.1", callId);
        List<RemoteHost> plan = d.hosts();
        // the proxy asks "next host after failure of X for call Y" (connection/TLS failure, 408, 503)
        String failed = plan.get(0).host();
        for (int i = 1; i < 4; i++) {
            Optional<RemoteHost> next = router.nextHost("acme", callId, failed);
            assertEquals(plan.get(i), next.orElseThrow());
            assertNotEquals(failed, next.get().host());
            failed = next.get().host();
        }
        assertFalse(router.nextHost("acme", callId, failed).isPresent(), "every host tried");
        assertFalse(router.nextHost("nope", callId, failed).isPresent());

        RouteDecision moved = router.failover(d, plan.get(0).host(), "+13175550100").orElseThrow();
        assertEquals(plan.get(1).uri(), moved.nextHop());
        assertEquals("sip:+13175550100;tgrp=acme-tg1;trunk-context=example.com@" + plan.get(1).host()
                + ":5061;transport=tls", moved.requestUri());
        assertEquals(3, moved.hosts().size());
        RouteDecision last = d;
        for (int i = 0; i < 3; i++) {
            last = router.failover(last, last.hosts().get(0).host(), "+13175550100").orElseThrow();
        }
        assertFalse(router.failover(last, last.hosts().get(0).host(), "+13175550100").isPresent());
    }

    @Test
    void route4Cert12SrvTargetsOrderedByPriorityAndWeightNamesAreTargets() throws Exception {
        Map<String, Integer> firsts = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            RouteDecision d = out("sip:+33140000000@127.0.0.1", "srv-" + i);
            assertEquals("gamma", d.trunk().id());
            List<String> order = d.hosts().stream().map(RemoteHost::host).toList();
            assertEquals(3, order.size(), "the IP-literal target is skipped (CERT-6): " + order);
            assertEquals("c.gamma.example.org", order.get(2), "priority 20 comes last");
            firsts.merge(order.get(0), 1, Integer::sum);
            // CERT-12: the name checked is the SRV target, never the _sips._tcp owner name
            assertTrue(d.requestUri().contains("@" + order.get(0) + ":"), d.requestUri());
            assertFalse(d.requestUri().contains("_sips"), d.requestUri());
        }
        // weights 60 : 40 within priority 10
        int a = firsts.getOrDefault("a.gamma.example.org", 0);
        assertTrue(a > 1050 && a < 1350, firsts.toString());
        RouteDecision b = out("sip:+33140000000@127.0.0.1", "x");
        RemoteHost bHost = b.hosts().stream().filter(h -> h.host().startsWith("b.")).findFirst().orElseThrow();
        assertEquals(5063, bHost.port(), "the SRV record's port");
    }

    @Test
    void route4SrvFailureIs503AndAStaleAnswerIsUsedWhileDnsIsDown() throws Exception {
        AtomicBoolean down = new AtomicBoolean();
        AtomicLong now = new AtomicLong(1_000);
        AtomicInteger failedLookups = new AtomicInteger();
        SrvResolver flaky = name -> {
            if (down.get()) {
                failedLookups.incrementAndGet();
                throw new IOException("DNS timed out");
            }
            return RoutingFixtures.SRV.lookup(name);
        };
        RoutingConfig config = router.config();
        Router r = new Router(config, new HostSelector(flaky, now::get));
        assertTrue(r.outbound(SipUriParser.parse("sip:+33@127.0.0.1"), "c").routed());
        down.set(true);
        now.addAndGet(HostSelector.SRV_CACHE_MILLIS + 1);
        assertTrue(r.outbound(SipUriParser.parse("sip:+33@127.0.0.1"), "c").routed(), "stale answer");
        // the lookup blocks its thread until it times out: while DNS is down, one call per retry interval pays that
        now.addAndGet(HostSelector.SRV_RETRY_MILLIS - 1);
        assertTrue(r.outbound(SipUriParser.parse("sip:+33@127.0.0.1"), "d").routed(), "stale answer");
        assertEquals(1, failedLookups.get(), "DNS asked again only after the retry interval");
        now.addAndGet(2);
        assertTrue(r.outbound(SipUriParser.parse("sip:+33@127.0.0.1"), "e").routed(), "stale answer");
        assertEquals(2, failedLookups.get());

        Router cold = new Router(config, new HostSelector(flaky, now::get));
        RouteDecision d = cold.outbound(SipUriParser.parse("sip:+33@127.0.0.1"), "c");
        assertEquals(503, d.status());
        assertTrue(d.reason().contains("ROUTE-4"), d.reason());

        Router empty = new Router(config, new HostSelector(name -> List.of(), now::get));
        assertEquals(503, empty.outbound(SipUriParser.parse("sip:+33@127.0.0.1"), "c").status());
    }
}
