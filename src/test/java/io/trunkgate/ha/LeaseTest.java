package io.trunkgate.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.trunkgate.harness.RunningGateway;
import io.trunkgate.peers.RedisServer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The active's lease in a real Redis (issue #18 item 2): one holder at a time, renewed and released by its holder
 * alone, taken by the other once it lapses; and Redis down fails a command at once, never queues or waits (item 3).
 */
class LeaseTest {

    static RedisLink connected(RedisServer redis, String id) throws Exception {
        HaSettings settings = new HaSettings(true, redis.uri(), id, Duration.ofSeconds(1));
        RedisLink link = new RedisLink(settings, new DefaultCamelContext().getExecutorServiceManager());
        if (answers(link, 10)) {
            return link;
        }
        link.close();
        throw new AssertionError("no connection to " + redis.uri());
    }

    /** PONG within {@code seconds} (the link connects in the background), or false. */
    static boolean answers(RedisLink link, int seconds) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(seconds);
        while (Instant.now().isBefore(end)) {
            try {
                if ("PONG".equals(link.await(c -> c.ping()))) {
                    return true;
                }
            } catch (Exception e) {
                Thread.sleep(50); // connecting in the background
            }
        }
        return false;
    }

    @Test
    void oneHolderAtATime_renewedAndReleasedByItsHolderOnly_takenByTheOtherOnceItLapses() throws Exception {
        try (RedisServer redis = RedisServer.start(RunningGateway.freePort()); RedisLink link = connected(redis, "a")) {
            Lease a = new Lease(link, "tg-a", 1000);
            Lease b = new Lease(link, "tg-b", 1000);
            assertTrue(a.tryAcquire());
            assertFalse(b.tryAcquire(), "held by a");
            assertEquals("tg-a", b.holder());
            assertTrue(a.renew());
            assertFalse(b.renew(), "only the holder renews");
            b.release();
            assertEquals("tg-a", a.holder(), "only the holder releases");
            long ttl = Long.parseLong(redis.cli("PTTL", Lease.KEY).get(0));
            assertTrue(ttl > 0 && ttl <= 1000, "the lease expires by itself: " + ttl);

            Thread.sleep(1300); // a stops renewing (killed): the lease lapses
            assertNull(a.holder());
            assertTrue(b.tryAcquire(), "the standby takes the lapsed lease");
            assertFalse(a.renew(), "the old holder cannot extend the new holder's lease");
            assertEquals("tg-b", a.holder());
            b.release();
            assertNull(b.holder(), "a clean stop releases at once");
        }
    }

    @Test
    void redisDownFailsACommandAtOnce_wrongPasswordIsRefused() throws Exception {
        try (RedisServer redis = RedisServer.start(RunningGateway.freePort()); RedisLink link = connected(redis, "a")) {
            redis.stop();
            Thread.sleep(200); // the connection notices the close
            long start = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> link.run(c -> c.set("trunkgate:probe", "x")).get(5, TimeUnit.SECONDS));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis <= HaSettings.COMMAND_TIMEOUT.toMillis() + 200, "failed after " + millis + " ms: " + e.getCause());
            assertFalse(link.isUp());

            redis.start();
            HaSettings wrong = new HaSettings(true, "redis://:not-the-password@127.0.0.1:" + redis.port(), "x", Duration.ofSeconds(1));
            try (RedisLink refused = new RedisLink(wrong, new DefaultCamelContext().getExecutorServiceManager())) {
                refused.connect();
                Thread.sleep(1500);
                assertThrows(Exception.class, () -> refused.await(c -> c.ping()), "a wrong password gets no access");
            }
        }
    }
}
