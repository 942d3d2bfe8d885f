package io.trunkgate.media.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.media.sdp.Mki;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Protect -> unprotect for every suite, and the drops the relay counts (issue #6 part 2). */
public class SrtpRoundTripTest {

    static final SecureRandom RANDOM = new SecureRandom();

    public static byte[] rtp(int seq, int ssrc, int payloadBytes) {
        byte[] p = new byte[12 + payloadBytes];
        p[0] = (byte) 0x80;
        p[1] = 0; // PCMU
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) (i * 7 + seq);
        }
        return p;
    }

    @ParameterizedTest
    @EnumSource(CryptoSuite.class)
    void srtp1RoundTripAndDrops(CryptoSuite suite) {
        MasterKey key = MasterKey.generate(suite, RANDOM);
        try (SrtpProtector sender = new SrtpProtector(key); SrtpUnprotector receiver = new SrtpUnprotector(key)) {
            byte[] plain = rtp(1000, 0x11223344, 160);
            PacketBuffer packet = PacketBuffer.copyOf(plain);
            assertEquals(Optional.empty(), sender.protectRtp(packet));
            byte[] wire = packet.toArray();
            assertEquals(plain.length + suite.srtpTagLength(), wire.length);

            PacketBuffer in = PacketBuffer.copyOf(wire);
            assertEquals(Optional.empty(), receiver.unprotectRtp(in));
            assertArrayEquals(plain, in.toArray());

            assertEquals(Optional.of(DropCause.REPLAYED), receiver.unprotectRtp(PacketBuffer.copyOf(wire)));

            PacketBuffer next = PacketBuffer.copyOf(rtp(1001, 0x11223344, 160));
            sender.protectRtp(next);
            byte[] tampered = next.toArray();
            tampered[20] ^= 1;
            assertEquals(Optional.of(DropCause.AUTH_FAILED), receiver.unprotectRtp(PacketBuffer.copyOf(tampered)));
            // the genuine packet still passes after the forgery (the replay window did not move)
            assertEquals(Optional.empty(), receiver.unprotectRtp(next));

            byte[] rtcp = Arrays.copyOf(SrtpVectorsTest.RTCP_PLAIN, SrtpVectorsTest.RTCP_PLAIN.length);
            PacketBuffer control = PacketBuffer.copyOf(rtcp);
            assertEquals(Optional.empty(), sender.protectRtcp(control));
            byte[] srtcp = control.toArray();
            PacketBuffer back = PacketBuffer.copyOf(srtcp);
            assertEquals(Optional.empty(), receiver.unprotectRtcp(back));
            assertArrayEquals(rtcp, back.toArray());
            assertEquals(Optional.of(DropCause.REPLAYED), receiver.unprotectRtcp(PacketBuffer.copyOf(srtcp)));
        }
    }

    @ParameterizedTest
    @EnumSource(CryptoSuite.class)
    void srtp1WrongKeyFailsAuthentication(CryptoSuite suite) {
        try (SrtpProtector sender = new SrtpProtector(MasterKey.generate(suite, RANDOM));
                SrtpUnprotector receiver = new SrtpUnprotector(MasterKey.generate(suite, RANDOM))) {
            PacketBuffer packet = PacketBuffer.copyOf(rtp(7, 42, 160));
            sender.protectRtp(packet);
            assertEquals(Optional.of(DropCause.AUTH_FAILED), receiver.unprotectRtp(packet));
        }
    }

    @ParameterizedTest
    @EnumSource(CryptoSuite.class)
    void srtp1MkiIsCheckedAndCut(CryptoSuite suite) {
        MasterKey key = MasterKey.generate(suite, RANDOM);
        Mki mki = new Mki(1, 4);
        try (SrtpProtector sender = new SrtpProtector(key); SrtpUnprotector receiver = new SrtpUnprotector(key, mki)) {
            byte[] plain = rtp(5, 99, 160);
            PacketBuffer packet = PacketBuffer.copyOf(plain);
            sender.protectRtp(packet);
            byte[] wire = withMki(packet.toArray(), suite.aead() ? 0 : suite.srtpTagLength(), mki.bytes());
            PacketBuffer in = PacketBuffer.copyOf(wire);
            assertEquals(Optional.empty(), receiver.unprotectRtp(in));
            assertArrayEquals(plain, in.toArray());

            PacketBuffer other = PacketBuffer.copyOf(rtp(6, 99, 160));
            sender.protectRtp(other);
            byte[] wrongMki = withMki(other.toArray(), suite.aead() ? 0 : suite.srtpTagLength(), new Mki(2, 4).bytes());
            assertEquals(Optional.of(DropCause.UNKNOWN_MKI), receiver.unprotectRtp(PacketBuffer.copyOf(wrongMki)));
        }
    }

    /** Inserts an MKI {@code trailer} bytes before the end, as a sender using an MKI would. */
    static byte[] withMki(byte[] packet, int trailer, byte[] mki) {
        byte[] out = new byte[packet.length + mki.length];
        int at = packet.length - trailer;
        System.arraycopy(packet, 0, out, 0, at);
        System.arraycopy(mki, 0, out, at, mki.length);
        System.arraycopy(packet, at, out, at + mki.length, trailer);
        return out;
    }
}
