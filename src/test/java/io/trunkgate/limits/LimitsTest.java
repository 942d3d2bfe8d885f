package io.trunkgate.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The mechanics of the limits: rates, per-source caps, pike, and the summarised refusal log. */
class LimitsTest {

    @Test
    void a_token_bucket_allows_a_burst_then_its_rate() throws Exception {
        TokenBucket five = TokenBucket.perSecond(5);
        int taken = 0;
        for (int i = 0; i < 20; i++) {
            taken += five.tryTake() ? 1 : 0;
        }
        assertEquals(5, taken);
        Thread.sleep(420);
        assertTrue(five.tryTake() && five.tryTake(), "two more after 0.4 s");
    }

    @Test
    void source_caps_count_open_connections_and_new_ones_per_second_per_source() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        SourceCaps caps = new SourceCaps(2, 0);
        assertNull(caps.open(a));
        assertNull(caps.open(a));
        assertEquals(SourceCaps.Refusal.TOO_MANY_CONNECTIONS, caps.open(a));
        assertNull(caps.open(b), "another source has its own count");
        caps.closed(a);
        assertNull(caps.open(a));
        SourceCaps rate = new SourceCaps(0, 3);
        for (int i = 0; i < 3; i++) {
            assertNull(rate.open(a));
        }
        assertEquals(SourceCaps.Refusal.TOO_FAST, rate.open(a));
        assertEquals(3, rate.openFrom(a), "a refused connection is not counted");
    }

    @Test
    void pike_blocks_a_source_over_its_rate_while_it_floods() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        FloodBlock pike = new FloodBlock(3, Duration.ofMillis(200), Duration.ofMillis(300));
        for (int i = 0; i < 3; i++) {
            assertEquals(FloodBlock.Verdict.PASS, pike.check(a));
        }
        assertEquals(FloodBlock.Verdict.BLOCKED_NOW, pike.check(a));
        assertEquals(FloodBlock.Verdict.BLOCKED, pike.check(a));
        assertTrue(pike.blocked(a));
        Thread.sleep(350);
        assertEquals(FloodBlock.Verdict.PASS, pike.check(a), "the block ended with the flood");
    }

    @Test
    void refusals_are_counted_and_summarised_once_per_interval_with_a_few_examples() {
        RefusalLog log = new RefusalLog(Duration.ofSeconds(10));
        for (int i = 0; i < 100; i++) {
            log.refused("TLS connection refused: over the cap", "192.0.2." + (i % 5));
        }
        log.refused("INVITE 503: draining", null);
        String line = log.summary();
        assertTrue(line.startsWith("refused in the last 10 s: "), line);
        assertTrue(line.contains("100 x TLS connection refused: over the cap [192.0.2.0 (20), 192.0.2.1 (20), 192.0.2.2 (20), ...]"),
                line);
        assertTrue(line.contains("1 x INVITE 503: draining"), line);
        assertNull(log.summary(), "nothing new: no line");
        assertEquals(100L, log.totals().get("TLS connection refused: over the cap"), "totals stay for metrics");
    }
}
