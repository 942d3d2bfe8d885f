package io.trunkgate.media.relay;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.trunkgate.media.sdp.CryptoSuite;
import io.trunkgate.media.sdp.MasterKey;
import io.trunkgate.media.sdp.Mki;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;

/**
 * SRTP -> RTP and SRTCP -> RTCP with the remote's key from its a=crypto line, one context per SSRC.
 * A context is kept only once a packet of its SSRC authenticated, so forged SSRCs cannot fill the table.
 * An MKI announced in SDP is checked and cut before jitsi-srtp sees the packet (jitsi-srtp knows no MKI).
 * Each SSRC's {@link RolloverCount} is kept beside its context (saved for a standby, issue #18; a context for a
 * restored SSRC starts with the ROC the saved count implies). Not thread-safe: a session runs on one event loop.
 */
public final class SrtpUnprotector implements AutoCloseable {

    private final SrtpContextFactory factory;
    private final CryptoSuite suite;
    private final byte[] mki;
    private final SrtpStreams<SrtpCryptoContext> rtp;
    private final Map<Integer, SrtcpCryptoContext> rtcp = new HashMap<>();

    public SrtpUnprotector(MasterKey key, Mki mki) {
        this(key, mki, () -> { });
    }

    /** @param changed told (on the loop) when a stream's rollover count was published anew */
    public SrtpUnprotector(MasterKey key, Mki mki, Runnable changed) {
        this.rtp = new SrtpStreams<>(changed);
        this.suite = key.suite();
        this.mki = mki == null ? new byte[0] : mki.bytes();
        this.factory = new SrtpContextFactory(false, key.key(), key.salt(), suite.srtpPolicy(), suite.srtcpPolicy(),
                SrtpSetup.logger());
    }

    public SrtpUnprotector(MasterKey key) {
        this(key, null);
    }

    /** The rollover counts of the remote's streams (SSRC -> roc << 16 | highest sequence) as last published. */
    public Map<Integer, Long> rolloverCounts() {
        return rtp.published();
    }

    /** Counts saved by another instance: contexts for these SSRCs start from them. Before the first packet. */
    public void restore(Map<Integer, Long> counts) {
        rtp.restore(counts);
    }

    /** Verifies and decrypts an SRTP packet in place; empty when it may be forwarded. */
    public Optional<DropCause> unprotectRtp(PacketBuffer packet) {
        if (!RtpPackets.isRtp(packet) || packet.getLength() < 12 + suite.srtpTagLength() + mki.length) {
            return Optional.of(DropCause.MALFORMED);
        }
        if (!cutMki(packet, suite.aead() ? 0 : suite.srtpTagLength())) {
            return Optional.of(DropCause.UNKNOWN_MKI);
        }
        int ssrc = packet.int32(8);
        int seq = packet.uint16(2);
        SrtpStreams.Stream<SrtpCryptoContext> stream = rtp.get(ssrc);
        boolean fresh = stream == null || stream.context == null;
        try {
            if (fresh) {
                if (stream == null && rtp.size() >= SrtpProtector.MAX_SSRCS) {
                    return Optional.of(DropCause.SSRC_LIMIT);
                }
                stream = rtp.open(ssrc);
                stream.context = factory.deriveContext(ssrc, stream.count.guess(seq));
            }
            Optional<DropCause> verdict = verdict(stream.context.reverseTransformPacket(packet, false));
            if (verdict.isEmpty()) {
                rtp.accepted(stream, seq);
            } else if (fresh) {
                rtp.discard(ssrc, stream); // only an authenticated packet may create state (forged SSRCs)
            }
            return verdict;
        } catch (GeneralSecurityException e) {
            return Optional.of(DropCause.AUTH_FAILED);
        }
    }

    /** Verifies and decrypts an SRTCP packet in place. */
    public Optional<DropCause> unprotectRtcp(PacketBuffer packet) {
        // header (8) + E|index (4) + tag
        if (!RtpPackets.isRtcp(packet) || packet.getLength() < 12 + suite.srtcpTagLength() + mki.length) {
            return Optional.of(DropCause.MALFORMED);
        }
        if (!cutMki(packet, suite.aead() ? 0 : suite.srtcpTagLength())) {
            return Optional.of(DropCause.UNKNOWN_MKI);
        }
        int ssrc = packet.int32(4);
        SrtcpCryptoContext context = rtcp.get(ssrc);
        boolean fresh = context == null;
        try {
            if (fresh) {
                if (rtcp.size() >= SrtpProtector.MAX_SSRCS) {
                    return Optional.of(DropCause.SSRC_LIMIT);
                }
                context = factory.deriveControlContext(ssrc);
            }
            Optional<DropCause> verdict = verdict(context.reverseTransformPacket(packet));
            if (fresh && verdict.isEmpty()) {
                rtcp.put(ssrc, context);
            }
            return verdict;
        } catch (GeneralSecurityException e) {
            return Optional.of(DropCause.AUTH_FAILED);
        }
    }

    /**
     * RFC 3711 3.1: the MKI sits right before the authentication tag (AES-CM); RFC 7714: at the very end
     * (AEAD, whose tag is inside the cipher text). The MKI is not authenticated, so cutting it is safe.
     */
    private boolean cutMki(PacketBuffer packet, int trailer) {
        if (mki.length == 0) {
            return true;
        }
        int at = packet.getLength() - trailer - mki.length;
        for (int i = 0; i < mki.length; i++) {
            if ((byte) packet.uint8(at + i) != mki[i]) {
                return false;
            }
        }
        packet.cut(at, mki.length);
        return true;
    }

    private static Optional<DropCause> verdict(SrtpErrorStatus status) {
        switch (status) {
            case OK:
                return Optional.empty();
            case REPLAY_FAIL:
            case REPLAY_OLD:
                return Optional.of(DropCause.REPLAYED);
            case INVALID_PACKET:
                return Optional.of(DropCause.MALFORMED);
            default:
                return Optional.of(DropCause.AUTH_FAILED);
        }
    }

    @Override
    public void close() {
        factory.close();
        rtp.clear();
        rtcp.clear();
    }
}
