package io.trunkgate.media.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue #18 item 2: SRTP goes on with the right rollover counter (RFC 3711 3.3.1) after a failover. jitsi-srtp keeps
 * the ROC inside its contexts without a getter; the relay counts it beside them ({@link RolloverCount}), publishes
 * it a few times per 65,536 packets, and a standby derives each restored SSRC's context from the saved count.
 */
class RolloverRestoreTest {

    static final SecureRandom RANDOM = new SecureRandom();
    static final int SSRC = 0x5EC0E2E1;

    @Test
    void theCountFollowsRfc3711AndIsPublishedAFewTimesPer65536Packets() {
        RolloverCount count = new RolloverCount();
        assertEquals(0, count.guess(12345), "a stream never seen starts at ROC 0");
        int published = 0;
        int seq = 60000;
        for (int i = 0; i < 3 * 65536; i++) {
            if (count.accepted(seq)) {
                published++;
            }
            seq = (seq + 1) & 0xffff;
        }
        long index = count.published();
        assertEquals(3, index >>> 16, "three wraps past 65,535");
        assertTrue(published >= 4 && published <= 3 * 4 + 2, "published on the first packet, each ROC change and each"
                + " quarter of the sequence range, never per packet: " + published);
        // a reordered (older) packet neither moves the count nor publishes
        assertEquals(false, count.accepted(59000));
        assertEquals(index, count.published());
    }

    @Test
    void aRestoredCountGuessesTheRocOfTheNextPacketAsRfc3711Does() {
        RolloverCount justWrapped = RolloverCount.restored((1L << 16) | 100);
        assertEquals(1, justWrapped.guess(250), "later in the same cycle");
        assertEquals(0, justWrapped.guess(65500), "a late packet from before the wrap");
        RolloverCount beforeWrap = RolloverCount.restored(49152); // ROC 0, entered the last quarter
        assertEquals(0, beforeWrap.guess(60000));
        assertEquals(1, beforeWrap.guess(200), "wrapped while no instance relayed (the failover's seconds)");
    }

    /** Our sending side: a standby's protector goes on where the dead active's stopped, across a wrap. */
    @ParameterizedTest
    @EnumSource(value = CryptoSuite.class, names = {"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    void aRestoredProtectorProtectsWithTheRocTheReceiverExpects(CryptoSuite suite) {
        MasterKey key = MasterKey.generate(suite, RANDOM);
        AtomicInteger changes = new AtomicInteger();
        try (SrtpProtector active = new SrtpProtector(key, changes::incrementAndGet);
                SrtpUnprotector remote = new SrtpUnprotector(key)) {
            for (int seq = 65500; seq < 65536 + 20; seq++) { // wraps past 65,535: ROC 1
                assertEquals(Optional.empty(), remote.unprotectRtp(protect(active, seq & 0xffff)), "seq " + seq);
            }
            Map<Integer, Long> saved = active.rolloverCounts();
            assertEquals(1L, saved.get(SSRC) >>> 16, "ROC 1 published after the wrap: " + saved);
            assertTrue(changes.get() >= 2 && changes.get() <= 3, "a change per publication only: " + changes);

            try (SrtpProtector standby = new SrtpProtector(key); SrtpProtector fresh = new SrtpProtector(key)) {
                standby.restore(saved);
                // the packets lost in the failover (seq 20..119) are simply skipped, as a UDP relay would
                for (int seq = 120; seq < 140; seq++) {
                    assertEquals(Optional.empty(), remote.unprotectRtp(protect(standby, seq)),
                            "the remote authenticates packet " + seq + " protected by the standby");
                }
                // the same without the saved count fails: the test would notice a lost ROC
                assertNotEquals(Optional.empty(), remote.unprotectRtp(protect(fresh, 140)));
            }
        }
    }

    /** The remote's side: a standby's unprotector opens what the remote sends after the failover, the wrap included. */
    @Test
    void aRestoredUnprotectorOpensTheRemotesPacketsAfterAWrapDuringTheFailover() {
        MasterKey key = MasterKey.generate(CryptoSuite.AES_CM_128_HMAC_SHA1_80, RANDOM);
        try (SrtpProtector remote = new SrtpProtector(key); SrtpUnprotector active = new SrtpUnprotector(key)) {
            List<PacketBuffer> later = new ArrayList<>();
            for (int seq = 40000; seq < 65536 + 300; seq++) {
                PacketBuffer p = protect(remote, seq & 0xffff);
                if (seq < 65400) {
                    assertEquals(Optional.empty(), active.unprotectRtp(p));
                } else if (seq >= 65536 + 200) {
                    later.add(p); // sent after the standby took over: the wrap happened while nobody relayed
                }
            }
            Map<Integer, Long> saved = active.rolloverCounts();
            assertEquals(0L, saved.get(SSRC) >>> 16);
            try (SrtpUnprotector standby = new SrtpUnprotector(key); SrtpUnprotector fresh = new SrtpUnprotector(key)) {
                standby.restore(saved);
                PacketBuffer first = PacketBuffer.copyOf(later.get(0).toArray());
                for (PacketBuffer p : later) {
                    assertEquals(Optional.empty(), standby.unprotectRtp(p), "after the failover");
                }
                assertEquals(1L, standby.rolloverCounts().get(SSRC) >>> 16, "the standby counts ROC 1 from here");
                assertEquals(Optional.of(DropCause.AUTH_FAILED), fresh.unprotectRtp(first), "without the count: ROC 0, refused");
            }
        }
    }

    /** Our SRTCP toward the remote: a standby's index goes on past the old active's, so the remote's replay check passes. */
    @Test
    void aRestoredProtectorsSrtcpIndexGoesOnPastTheOldActives() {
        MasterKey key = MasterKey.generate(CryptoSuite.AES_CM_128_HMAC_SHA1_80, RANDOM);
        try (SrtpProtector active = new SrtpProtector(key); SrtpUnprotector remote = new SrtpUnprotector(key)) {
            for (int i = 0; i < 200; i++) {
                assertEquals(Optional.empty(), remote.unprotectRtcp(protectRtcp(active)), "SRTCP " + i);
            }
            Map<Integer, Long> saved = active.srtcpIndexes();
            assertEquals(193L, saved.get(0xcafebabe), "published after the first and every 64th: a lower bound");
            try (SrtpProtector standby = new SrtpProtector(key); SrtpProtector fresh = new SrtpProtector(key)) {
                standby.restoreSrtcp(saved);
                assertEquals(Optional.empty(), remote.unprotectRtcp(protectRtcp(standby)), "the standby's SRTCP is accepted");
                assertNotEquals(Optional.empty(), remote.unprotectRtcp(protectRtcp(fresh)), "index 0 again: refused as old");
            }
        }
    }

    static PacketBuffer protectRtcp(SrtpProtector protector) {
        PacketBuffer p = PacketBuffer.copyOf(SrtpVectorsTest.RTCP_PLAIN);
        assertEquals(Optional.empty(), protector.protectRtcp(p));
        return PacketBuffer.copyOf(p.toArray());
    }

    static PacketBuffer protect(SrtpProtector protector, int seq) {
        PacketBuffer p = PacketBuffer.copyOf(SrtpRoundTripTest.rtp(seq, SSRC, 160));
        assertEquals(Optional.empty(), protector.protectRtp(p));
        return PacketBuffer.copyOf(p.toArray());
    }
}
