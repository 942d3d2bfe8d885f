package io.trunkgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.trunkgate.config.ConfigException;
import io.trunkgate.sip.SipUriParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UP/DOWN of remote hosts as probes find them, and how new calls then spread (ROUTE-5). */
class HostLivenessTest {

    private static final RemoteHost LB1 = new RemoteHost("lb01.pc-voice.usw2.pure.cloud", 5061);
    private static final RemoteHost LB2 = new RemoteHost("lb02.pc-voice.usw2.pure.cloud", 5061);

    @TempDir
    Path dir;

    @Test
    void route5_down_after_n_failed_probes_up_after_m_answered() {
        HostLiveness live = new HostLiveness(3, 2, AliveCodes.any());
        List<HostLiveness.HostState> transitions = new java.util.ArrayList<>();
        live.onTransition(transitions::add);
        assertTrue(live.isUp(LB1), "never probed: UP");
        live.failed(LB1, "no answer to OPTIONS in 5000 ms");
        live.answered(LB1, 503, "Service Unavailable");
        assertTrue(live.isUp(LB1), "two failures of three");
        live.failed(LB1, "cannot connect");
        assertFalse(live.isUp(LB1));
        assertEquals("cannot connect", live.states().get(0).last());
        live.answered(LB1, 200, "OK");
        assertFalse(live.isUp(LB1), "one answer of two");
        live.failed(LB1, "again");
        live.answered(LB1, 404, "Not Found"); // any final but 503 counts as alive by default
        assertFalse(live.isUp(LB1), "the failure in between restarted the count");
        live.answered(LB1, 200, "OK");
        assertTrue(live.isUp(LB1));
        assertEquals(List.of(HostLiveness.State.DOWN, HostLiveness.State.UP),
                transitions.stream().map(HostLiveness.HostState::state).toList());
    }

    @Test
    void alive_codes_like_ds_ping_reply_codes() {
        AliveCodes any = AliveCodes.any();
        assertTrue(any.alive(200) && any.alive(404) && any.alive(501) && any.alive(603));
        assertFalse(any.alive(503) || any.alive(180));
        AliveCodes some = AliveCodes.parse("k", "2xx, 404");
        assertTrue(some.alive(200) && some.alive(202) && some.alive(404));
        assertFalse(some.alive(403) || some.alive(503));
        assertTrue(AliveCodes.parse("k", "503").alive(503), "503 counts when it is listed");
        assertThrows(ConfigException.class, () -> AliveCodes.parse("k", "1xx"));
        assertThrows(ConfigException.class, () -> AliveCodes.parse("k", "ok"));
    }

    @Test
    void route5_new_calls_spread_over_the_up_hosts_and_reach_a_down_one_last() throws Exception {
        HostLiveness live = new HostLiveness(1, 1, AliveCodes.any());
        Router router = new Router(RoutingFixtures.config(dir),
                new HostSelector(RoutingFixtures.SRV, System::currentTimeMillis, () -> live));
        live.failed(LB2, "down");
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            RouteDecision d = router.outbound(SipUriParser.parse("sip:+13175550100;tgrp=acme-tg1@127.0.0.1"), "call-" + i);
            first.merge(d.hosts().get(0).host(), 1, Integer::sum);
            assertEquals(LB2, d.hosts().get(3), "the DOWN host comes last");
        }
        assertEquals(3, first.size(), first.toString());
        first.values().forEach(n -> assertTrue(n > 900 && n < 1100, "even over the three UP hosts: " + first));

        for (String h : List.of("lb01", "lb03", "lb04")) {
            live.failed(new RemoteHost(h + ".pc-voice.usw2.pure.cloud", 5061), "down");
        }
        Map<String, Integer> allDown = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            RouteDecision d = router.outbound(SipUriParser.parse("sip:+13175550100;tgrp=acme-tg1@127.0.0.1"), "call-" + i);
            assertEquals(4, d.hosts().size(), "every host DOWN: the call still tries them all");
            allDown.merge(d.hosts().get(0).host(), 1, Integer::sum);
        }
        assertEquals(4, allDown.size(), "and calls spread over all four: " + allDown);
    }

    @Test
    void every_remote_host_of_a_trunk_for_the_prober() throws Exception {
        Router router = new Router(RoutingFixtures.config(dir), RoutingFixtures.SRV);
        RoutingConfig config = router.config();
        assertEquals(4, router.remoteHosts(config.trunk("acme").orElseThrow()).size());
        assertEquals(List.of(new RemoteHost("sbc1.beta.example", 5062), new RemoteHost("sbc2.beta.example", 5062)),
                router.remoteHosts(config.trunk("beta").orElseThrow()));
    }
}
