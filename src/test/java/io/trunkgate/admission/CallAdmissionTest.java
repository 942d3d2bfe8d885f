package io.trunkgate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.netty.channel.DefaultEventLoop;
import io.trunkgate.harness.TrunkConfigDir;
import io.trunkgate.media.relay.MediaRelayService;
import io.trunkgate.media.relay.MediaSession;
import io.trunkgate.media.relay.MediaSettings;
import io.trunkgate.routing.Router;
import io.trunkgate.routing.RoutingConfig;
import io.trunkgate.routing.SrvResolver;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Which new calls are taken (issue #15 item 3): limits per trunk and gateway-wide, shedding, drain. */
class CallAdmissionTest {

    private static final SrvResolver NO_SRV = name -> java.util.List.of();

    private static Router router(String... trunkLines) throws Exception {
        Path dir = TrunkConfigDir.create("customer", "localhost", 5061, "sip:127.0.0.1:5070;transport=udp", "off",
                trunkLines);
        return new Router(RoutingConfig.load(dir), NO_SRV);
    }

    private static AdmissionSettings settings(int maxCalls, int cps, Optional<Duration> queueDelay, int mediaFill,
            Duration drain) {
        return new AdmissionSettings(maxCalls, cps, 5, queueDelay, mediaFill, drain, 0);
    }

    private static CallAdmission admission(Router router, AdmissionSettings settings, MediaRelayService media) {
        return new CallAdmission(settings, () -> router, () -> null, () -> media);
    }

    @Test
    void a_trunks_max_calls_counts_calls_from_invite_to_end() throws Exception {
        CallAdmission a = admission(router("    limits:", "      max-calls: 2"),
                settings(0, 0, Optional.empty(), 0, Duration.ofSeconds(1)), null);
        assertNull(a.admit("c1", "test", null));
        assertNull(a.admit("c2", "test", null));
        CallAdmission.Refusal third = a.admit("c3", "test", null);
        assertNotNull(third);
        assertTrue(third.kind().contains("limits.max-calls") && third.warning().contains("(2)"), third.toString());
        assertEquals(2, a.activeCalls("test"));
        a.ended("c1");
        a.ended("c1"); // told twice: counted once
        a.ended("never-seen");
        assertEquals(1, a.activeCalls());
        assertNull(a.admit("c3", "test", null));
    }

    @Test
    void a_trunks_calls_per_second_and_the_gateways() throws Exception {
        CallAdmission perTrunk = admission(router("    limits:", "      calls-per-second: 5"),
                settings(0, 0, Optional.empty(), 0, Duration.ofSeconds(1)), null);
        int taken = 0;
        for (int i = 0; i < 10; i++) {
            taken += perTrunk.admit("t" + i, "test", null) == null ? 1 : 0;
        }
        assertEquals(5, taken, "a second's worth at once, then no more");
        Thread.sleep(450);
        assertNull(perTrunk.admit("later", "test", null), "refilled at 5 per second");

        CallAdmission global = admission(router(), settings(3, 2, Optional.empty(), 0, Duration.ofSeconds(1)), null);
        assertNull(global.admit("g1", "test", null));
        assertNull(global.admit("g2", "test", null));
        assertTrue(global.admit("g3", "test", null).kind().contains("trunkgate.limits.calls-per-second"));
    }

    @Test
    void shedding_while_the_call_flow_waits_longer_than_the_bound() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            CallAdmission a = admission(router(), settings(0, 0, Optional.of(Duration.ofMillis(100)), 0,
                    Duration.ofSeconds(1)), null);
            assertNull(a.admit("before", "test", loop), "an idle loop");
            loop.execute(() -> sleep(600)); // the loop is busy: messages arriving now would wait
            Thread.sleep(300);
            CallAdmission.Refusal r = a.admit("during", "test", loop);
            assertNotNull(r, "queueing delay " + a.queueDelayMillis() + " ms");
            assertTrue(r.kind().contains("queueing delay") && r.warning().contains("calls in progress come first"), r.toString());
            Thread.sleep(500);
            assertNull(a.admit("after", "test", loop), "recovered: " + a.queueDelayMillis() + " ms");
        } finally {
            loop.shutdownGracefully();
        }
    }

    @Test
    void shedding_when_calls_hold_most_of_the_media_range() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.start();
        // 16 ports: 4 calls of two RTP/RTCP pairs each
        MediaRelayService media = new MediaRelayService(new MediaSettings(InetAddress.getLoopbackAddress(), 42900, 42915,
                Duration.ofSeconds(60), Duration.ofSeconds(1)));
        media.setCamelContext(camel);
        media.start();
        try {
            CallAdmission a = admission(router(), settings(0, 0, Optional.empty(), 50, Duration.ofSeconds(1)), media);
            MediaSession one = media.relay().open("m1");
            assertNull(a.admit("c1", "test", null), "25% of the range held");
            MediaSession two = media.relay().open("m2");
            CallAdmission.Refusal r = a.admit("c2", "test", null);
            assertNotNull(r, "50% held");
            assertTrue(r.kind().contains("media port range") && r.detail().equals("50%"), r.toString());
            two.releaseAsync("test").get();
            one.releaseAsync("test").get();
            assertNull(a.admit("c3", "test", null));
        } finally {
            media.stop();
            camel.stop();
        }
    }

    @Test
    void drain_refuses_new_calls_waits_for_those_in_flight_and_cuts_at_its_timeout() throws Exception {
        CallAdmission a = admission(router(), settings(0, 0, Optional.empty(), 0, Duration.ofMillis(600)), null);
        assertNull(a.admit("up-1", "test", null));
        assertNull(a.admit("up-2", "test", null));
        new Thread(() -> {
            sleep(200);
            a.ended("up-1");
        }).start();
        CallAdmission.DrainOutcome outcome = a.drain();
        assertEquals(2, outcome.inFlight());
        assertEquals(1, outcome.cut(), "up-2 never ended");
        assertTrue(outcome.waited().toMillis() >= 600, outcome.toString());
        assertTrue(a.admit("new", "test", null).kind().contains("draining"));

        CallAdmission idle = admission(router(), settings(0, 0, Optional.empty(), 0, Duration.ofSeconds(30)), null);
        assertEquals(0, idle.drain().cut(), "no calls: done at once");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void the_warm_up_runs_whole_synthetic_calls_through_the_call_path() throws Exception {
        CallPathWarmup.Outcome warm = CallPathWarmup.run(200, router());
        assertEquals(200, warm.negotiated(), "every synthetic call negotiated SDES SRTP offer and answer");
    }
}
