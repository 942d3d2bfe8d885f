package io.trunkgate.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.trunkgate.config.Settings;
import io.trunkgate.limits.RefusalLog;
import org.apache.camel.component.netty.NettyComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The inside UDP listener's queue (trunkgate.overload.max-queued-messages): bounded, and what it drops is counted. */
class CallFlowQueueTest {

    @Test
    @DisplayName("past the bound a message is dropped and counted in the refusal log (a resend's barrier runs at once);"
            + " an application's own group is kept")
    void boundedAndCounted() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            RefusalLog refusals = new RefusalLog(Duration.ofSeconds(10));
            CallFlowQueue.install(context, new Settings(k -> Optional.ofNullable(
                    Map.of("trunkgate.overload.max-queued-messages", "16").get(k))), () -> refusals);
            EventExecutorGroup group = context.getComponent("netty", NettyComponent.class).getExecutorService();
            EventExecutor executor = group.next();
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger ran = new AtomicInteger();
            executor.execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            busy.await(5, TimeUnit.SECONDS); // the call flow is behind: the next messages queue
            for (int i = 0; i < 20; i++) {
                executor.execute(ran::incrementAndGet);
            }
            AtomicInteger resent = new AtomicInteger();
            executor.execute(new NettySipConnection.AfterReceived(resent::incrementAndGet));
            assertEquals(1, resent.get(), "a resend's barrier refused by the full queue runs at once, never dropped");
            release.countDown();
            // the queue is full until the loop takes from it: a task submitted before that would itself be dropped
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ran.get() < 16 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            executor.submit(() -> { }).get(5, TimeUnit.SECONDS);
            assertEquals(16, ran.get(), "sixteen queued and processed (Netty bounds a queue at 16 at least)");
            assertEquals(4L, refusals.totals().get(CallFlowQueue.DROPPED), "four dropped, counted: " + refusals.totals());
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            DefaultEventExecutorGroup own = new DefaultEventExecutorGroup(1);
            context.getComponent("netty", NettyComponent.class).setExecutorService(own);
            CallFlowQueue.install(context, new Settings(k -> Optional.empty()), () -> null);
            assertSame(own, context.getComponent("netty", NettyComponent.class).getExecutorService());
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
