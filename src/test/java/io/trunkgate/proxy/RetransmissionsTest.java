package io.trunkgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import gov.nist.javax.sip.message.SIPRequest;
import io.trunkgate.flow.SipConnection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Timer A on UDP (RFC 3261 17.1.1.2) waits once for our own call flow's backlog before each resend: the answer may be
 * queued unread behind it (first in, first out), and a UAS that gets the INVITE again after its 200 may give up the
 * call (SIPp's UAS did at 300 calls/s each way, docs/benchmarks.md). Without a backlog, resends keep T1.
 */
class RetransmissionsTest {

    private static final ProxyConfig CONFIG = new ProxyConfig("gw.example.com", 5061, "127.0.0.1", 5060, 200, 4000, 5000,
            "test");

    /** When each resend of one INVITE toward a silent UDP next hop left, in ms after the first send. */
    private static List<Long> resends(long backlogMillis, long watchMillis) throws Exception {
        List<Long> at = new CopyOnWriteArrayList<>();
        AtomicLong start = new AtomicLong();
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
        };
        SipTimers timers = new SipTimers(r -> new Thread(r, "test-timers"));
        try {
            Retransmissions retransmissions = new Retransmissions(timers, CONFIG, ct -> { }, () -> backlogMillis);
            ClientTransaction ct = new ClientTransaction("z9hG4bK-t", SIPRequest.INVITE, RoundTripsTest.PBX, null);
            ct.bytes = "INVITE sip:pbx SIP/2.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ct.downstream = silentPbx;
            start.set(System.nanoTime());
            retransmissions.start(ct);
            Thread.sleep(watchMillis);
            synchronized (ct) {
                ct.state = ClientTransaction.State.COMPLETED; // answered: timer A stops
            }
            return at;
        } finally {
            timers.stop();
        }
    }

    /** The resends go out at {@code expected} ms after the first send (each up to 200 ms late on a busy machine). */
    private static void assertResendsAt(long backlogMillis, long watchMillis, long... expected) throws Exception {
        List<Long> at = resends(backlogMillis, watchMillis);
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
    @DisplayName("a 300-ms backlog of our own: each resend waits for it once (500 ms, then 500 + 400 + 300 ms)")
    void ownBacklogDefersEachResendOnce() throws Exception {
        assertResendsAt(300, 1500, 500, 1200);
    }

    @Test
    @DisplayName("a backlog under 20 ms is an ordinary loop's lateness: no wait")
    void smallBacklogIsNoise() throws Exception {
        assertResendsAt(Retransmissions.MIN_BACKLOG_MILLIS - 1, 450, 200);
    }
}
