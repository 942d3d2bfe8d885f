package io.trunkgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.flow.SipConnection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Timer A on UDP (RFC 3261 17.1.1.2) sends each resend through our own call flow behind what was received before it:
 * the answer may be queued unread there (first in, first out), and a UAS that gets the INVITE again after its 200
 * may give up the call (SIPp's UAS did at 300 calls/s each way, docs/benchmarks.md). Without a backlog, resends
 * keep T1. The call flow here is a single thread, busy for {@code backlogMillis} from just before T1.
 */
class RetransmissionsTest {

    private static final ProxyConfig CONFIG = new ProxyConfig("gw.example.com", 5061, "127.0.0.1", 5060, 200, 4000, 5000,
            "test");

    /**
     * When each resend of one INVITE toward a silent UDP next hop left, in ms after the first send. At 150 ms the call
     * flow gets {@code backlogMillis} of work, then, when {@code answerQueued}, the INVITE's answer behind it.
     */
    private static List<Long> resends(long backlogMillis, boolean answerQueued, long watchMillis) throws Exception {
        List<Long> at = new CopyOnWriteArrayList<>();
        AtomicLong start = new AtomicLong();
        ExecutorService callFlow = Executors.newSingleThreadExecutor();
        SipConnection silentPbx = new SipConnection() {
            public String transport() {
                return "udp";
            }

            public InetSocketAddress remoteAddress() {
                return new InetSocketAddress("127.0.0.1", 5070);
            }

            public InetSocketAddress localAddress() {
                return new InetSocketAddress("127.0.0.1", 5060);
            }

            public void send(byte[] message) {
                at.add((System.nanoTime() - start.get()) / 1_000_000);
            }

            public boolean isOpen() {
                return true;
            }

            @Override
            public void afterReceived(Runnable task) {
                callFlow.execute(task);
            }
        };
        SipTimers timers = new SipTimers(r -> new Thread(r, "test-timers"));
        try {
            Retransmissions retransmissions = new Retransmissions(timers, CONFIG, ct -> { });
            ClientTransaction ct = new ClientTransaction("z9hG4bK-t", SIPRequest.INVITE, RoundTripsTest.PBX, null);
            ct.bytes = "INVITE sip:pbx SIP/2.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ct.downstream = silentPbx;
            start.set(System.nanoTime());
            retransmissions.start(ct);
            Thread.sleep(150);
            if (backlogMillis > 0) {
                callFlow.execute(() -> sleep(backlogMillis));
            }
            if (answerQueued) {
                callFlow.execute(() -> {
                    synchronized (ct) {
                        ct.state = ClientTransaction.State.COMPLETED; // answered: timer A stops
                    }
                });
            }
            Thread.sleep(watchMillis - 150);
            synchronized (ct) {
                ct.state = ClientTransaction.State.COMPLETED;
            }
            return at;
        } finally {
            timers.stop();
            callFlow.shutdownNow();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The resends go out at {@code expected} ms after the first send (each up to 200 ms late on a busy machine). */
    private static void assertResendsAt(long backlogMillis, long watchMillis, long... expected) throws Exception {
        List<Long> at = resends(backlogMillis, false, watchMillis);
        assertEquals(expected.length, at.size(), "resends at " + at);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(at.get(i) >= expected[i] - 10 && at.get(i) < expected[i] + 200, "resend " + i + " at " + at);
        }
    }

    @Test
    @DisplayName("no backlog: timer A resends at T1, then 2*T1 later (200, 600 ms after the first send)")
    void noBacklogKeepsT1() throws Exception {
        assertResendsAt(0, 750, 200, 600);
    }

    @Test
    @DisplayName("a 400-ms backlog of our own from 150 ms: the resend due at 200 ms waits behind it (550 ms)")
    void resendWaitsBehindOwnBacklog() throws Exception {
        assertResendsAt(400, 800, 550);
    }

    @Test
    @DisplayName("the answer queued in our backlog before the resend was due: no resend at all")
    void answerInBacklogStopsTheResend() throws Exception {
        List<Long> at = resends(400, true, 1200);
        assertEquals(List.of(), at, "resends at " + at);
    }
}
